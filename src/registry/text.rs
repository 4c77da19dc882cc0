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
Every text in the questionnaire is checked for placeholders: an answer that is only `TODO`,
`TBD`, `TBA`, `FIXME`, `n/a`, `-`, `...`, `xxx`, `?` or `lorem ipsum` (any case), an answer
that starts with such a marker (`TODO: describe backups`), a `<fill in>`-style bracket
anywhere, `lorem ipsum` anywhere, and the markers `TODO`, `TBD` and `FIXME` written in
capitals anywhere. Prose that merely contains the words \"to do\" is not flagged.

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
Each free-text answer to a ticket question (the scalability, testing, recovery and incident
answers) should have at least 12 words. Short texts such as names, tools and metrics are not
checked.

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
