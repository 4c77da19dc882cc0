//! Text quality: placeholders, answers too short to say anything, and answers pasted twice.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::rules::text`.

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
Each free-text answer to a ticket question has at least the words its question needs. The
long questions (scalability, recovery, restore testing, the scaling factors) need 12; the
questions a short complete answer answers need fewer: how responders are notified (5:
\"Opsgenie pages the on-call engineer by push and phone call.\" passes), team communication
(5), customer communication (6), how issues are detected (6), how deprecation notices are
acted on (6), pre- and post-deployment DFR testing (8). Short texts such as names, tools and
metrics are not checked. A heuristic on prose: a warning.

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
}
