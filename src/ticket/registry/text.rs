//! Text quality: placeholders, answers too short to say anything, answers pasted twice, and
//! text that YAML cuts or runs together before it reaches the ticket.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::text`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Text;
    PLACEHOLDER {
        code: "CF101",
        name: "placeholder-answer",
        severity: Error,
        summary: "An answer is a placeholder such as TODO, TBD, n/a or <fill in>",
        docs: "## What it checks
Every text in the questionnaire is checked for an answer, or a clause of one, that *is* a
placeholder:

- the whole answer is `TODO`, `TBD`, `TBA`, `TBC`, `FIXME`, `n/a`, `none`, `-`, `...`, `xxx`,
  `?`, `lorem ipsum`, `fill in`, `coming soon`, `to be determined`... (any case);
- a sentence or line starts with a marker: `TODO:` (a colon, a dash, a bracket, or alone),
  or `TBD`, `TBA`, `TBC`, `FIXME`, `XXX` followed by anything (`TBD after the load test`);
- a blank left to fill, standing as a word of its own: `<frequency>`, `<describe ...>`,
  `[fill in]`, `[describe the rollback]`;
- `lorem ipsum` anywhere.

It deliberately leaves alone a sentence that only contains such a word: an app whose product
has \"TODO items\" (`TODO` followed by a space is a word), \"to do\" in prose, a name pattern
with angle brackets that is part of a word (`#inc-<date>-<topic>`, `<app-key>.json`), HTML
tags, and comparisons such as `p95 < 500 ms`. These are structural facts about the answer
(it is not one yet), so the rule is an error and `render` refuses the ticket.

## Why it matters
A placeholder is an unanswered question. Atlassian's reviewer sends the ticket back, and the
approval waits another review cycle.

## Example
Fails:
```yaml
  large_datasets: TBD
```

Passes:
```yaml
  large_datasets: |
    All list views paginate on the server (100 rows per page) and reports over more than
    50,000 worklogs are generated asynchronously.
```
",
    }

    SHORT_ANSWER {
        code: "CF102",
        name: "short-answer",
        severity: Warning,
        summary: "A free-text answer is too short to say anything",
        docs: "## What it checks
Each free-text answer to a ticket question has the few words it takes to say anything at
all: 6 for the long questions (scalability, recovery, restore testing, the scaling factors),
3 for the questions a short complete answer answers (how responders are notified, team and
customer communication, how issues are detected, how deprecation notices are acted on, pre-
and post-deployment DFR testing). A bare name (`PagerDuty.`) or a slogan (`We roll back.`)
is flagged; a short complete answer such as \"Statuspage.io incidents and in-app banners.\"
is not: the word count is a floor under which nothing can be said, not a measure of
quality. Short texts such as names, tools and metrics are not checked, and an empty answer
is CF015's. A heuristic on prose: a warning.

## Why it matters
The reviewer asks *how*: \"we scale\" or \"we roll back\" does not say how, how fast, or how
it was tested. Answers with mechanisms and figures are approved without a round trip.

## Example
Fails:
```yaml
    process: We roll back.
```

Passes:
```yaml
    process: |
      Deployments are blue-green; the on-call engineer switches traffic back to the previous
      version with one command, which takes about two minutes.
```
",
    }

    DUPLICATE_ANSWER {
        code: "CF103",
        name: "duplicate-answer",
        severity: Warning,
        summary: "The same answer is pasted under two different questions",
        docs: "## What it checks
Two free-text answers with the same words (ignoring case, spacing and punctuation) under
different questions.

## Why it matters
Each question asks something different: pre- and post-deployment testing, team and customer
communication. A pasted answer answers at most one of them, and reviewers notice.

## Example
Fails:
```yaml
  team_communication: We use a Slack channel per incident and post updates every 30 minutes.
  customer_communication: We use a Slack channel per incident and post updates every 30 minutes.
```

Passes: a distinct answer to each question.
",
    }

    CUT_BY_COMMENT {
        code: "CF104",
        name: "comment-cuts-text",
        severity: Error,
        summary: "A ` #` in a text starts a YAML comment: the rest of the line never reaches the ticket",
        docs: "## What it checks
In YAML, a `#` after a space starts a comment, even in the middle of a sentence. A text
written without quotes (a plain scalar) ends there, and the rest of its line is dropped
before cfready, or Atlassian's reviewer, ever sees it:

```yaml
    notification: Alerts go to the engineer on duty by email and to #ops on Slack.
```

reaches the ticket as \"Alerts go to the engineer on duty by email and to\". The rule fires
on a plain text followed on its line by a comment when the text is a free-text answer
(whatever the comment says), or when it is a short text (a name, a metric, who an alert
notifies) and the `#` is directly followed by a letter or digit, as in a Slack channel
(`#ops-alerts`) or an issue number (`#42`).

It leaves alone comments on lines of their own, comments after values that are not text
(`coverage: 24x7  # we page`, durations, URLs, hours, true/false), comments after a text in
quotes or after a block scalar's `|` (the quotes and the block show where the text ends), a
`# comment` written with a space after a short text (`name: Acme  # Marketplace name`), and
a `#` that no space precedes (`C#`, `issue#42`), which YAML keeps as text. The finding is a
fact about the file (those characters are not in the answer), so it is an error and `render`
refuses the ticket. The fix (applied with `--unsafe-fixes`, since a real comment would become
text) writes an answer as a `|` block and a short text in double quotes; when the `#` was
meant as a comment, move it to a line of its own instead.

## Why it matters
A ticket that stops mid-sentence, or that names no channel where the partner named one, is
sent back, and nothing in the file as the partner reads it shows why.

## Example
Fails:
```yaml
    notification: Alerts go to the engineer on duty by email and to #ops on Slack.
```

Passes:
```yaml
    notification: |
      Alerts go to the engineer on duty by email and to #ops on Slack.
```
",
    }

    FOLDED_LIST {
        code: "CF105",
        name: "folded-list",
        severity: Warning,
        summary: "List items on separate lines of a plain or folded text run together in the ticket",
        docs: "## What it checks
YAML joins the lines of a text written without `|` (a plain scalar, a quoted one, or a
folded `>` block) with spaces. Items written one per line, starting with `- ` or `* `, reach
the ticket as one paragraph: \"Slack channel per incident - IC posts updates every 30 minutes
- Zoom bridge for Sev 1\". The rule fires on a free-text answer with such a line that YAML
joins to the line before it. It leaves alone `|` blocks (which keep every line), items after
a blank line (YAML keeps that break), lines of a `>` block indented deeper than the block
(kept too), and short texts. Whether the partner meant separate lines is a judgement, so it
is a warning. The fix writes the text as a `|` block, line for line (a quoted text is left
to rewrite by hand).

## Why it matters
A list the reviewer cannot read as a list is a list the reviewer asks about again.

## Example
Fails:
```yaml
  team_communication: A Slack channel per incident.
    - The incident commander posts updates every 30 minutes
    - A Zoom bridge for Sev 1
```

Passes:
```yaml
  team_communication: |
    A Slack channel per incident.
    - The incident commander posts updates every 30 minutes
    - A Zoom bridge for Sev 1
```
",
    }
}
