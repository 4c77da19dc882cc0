//! Codes for the input phase: reading the file and parsing its YAML. A file that fails here
//! never reaches the schema or the readiness rules.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! the loader (`crate::ticket::load`).

use super::rule::Family;
use super::rule::Severity::Error;

super::rule::family! {
    Family::Input;
    INVALID_ENCODING {
        code: "CF001",
        name: "invalid-encoding",
        severity: Error,
        summary: "The file is not UTF-8 text",
        docs: "## What it checks
The file must be UTF-8 text. Invalid UTF-8 sequences and NUL bytes (a binary file) are
reported with the position of the first bad byte. A UTF-8 byte order mark and CRLF line
endings are accepted.

## Why it matters
The questionnaire is rendered into the approval ticket as text; a file in another encoding
would reach Atlassian's reviewer garbled, and a binary file is not a questionnaire at all.

## Example
Fails: a file saved as Latin-1 (`Zürich` as the byte 0xFC).

Passes: the same file saved as UTF-8, which every modern editor does by default.
",
    }

    FILE_TOO_LARGE {
        code: "CF002",
        name: "file-too-large",
        severity: Error,
        summary: "The file is larger than the size cap",
        docs: "## What it checks
Files larger than 4 MiB are refused before parsing.

## Why it matters
A complete questionnaire is a few kilobytes. A multi-megabyte file is a mistake (the wrong
file, a generated dump) or an attempt to exhaust memory on a CI runner; cfready stops early
and says so instead of spending time on it.

## Example
Fails: `cfready lint build/dump.yaml` on a 50 MB file.

Passes: `cfready lint cloud-fortified.yaml` on the questionnaire itself.
",
    }

    YAML_SYNTAX {
        code: "CF003",
        name: "yaml-syntax",
        severity: Error,
        summary: "The file is not valid YAML",
        docs: "## What it checks
The file must parse as YAML 1.2. The first syntax error is reported where the parser found
it; the schema and readiness rules do not run on a file that does not parse. Tabs in
indentation are a syntax error in YAML.

## Why it matters
Nothing else can be checked until the file parses.

## Example
Fails:
```yaml
app:
  name: Acme Timesheets
   key: com.acme.timesheets   # indented one space too far
```

Passes:
```yaml
app:
  name: Acme Timesheets
  key: com.acme.timesheets
```
",
    }

    DUPLICATE_KEY {
        code: "CF004",
        name: "duplicate-key",
        severity: Error,
        summary: "A key appears twice in the same mapping",
        docs: "## What it checks
A key may appear only once in a mapping. Every duplicate is reported with the position of
the first occurrence.

## Why it matters
Many YAML readers silently keep the last value, so the answer a reviewer reads may not be
the one you reviewed. YAML 1.2 forbids duplicate keys.

## Example
Fails:
```yaml
recovery:
  fix_lead_time: 2h
  fix_lead_time: 30m
```

Passes:
```yaml
recovery:
  fix_lead_time: 30m
```
",
    }

    NOT_A_QUESTIONNAIRE {
        code: "CF005",
        name: "not-a-questionnaire",
        severity: Error,
        summary: "The file is empty, has several documents, or its root is not a mapping",
        docs: "## What it checks
A questionnaire is exactly one YAML document whose root is a mapping starting with
`version: 1`. An empty file, a file with only comments, a second document after `---`, and
a root that is a list or a plain value are reported.

## Why it matters
cfready reads one questionnaire per file; anything else would be ignored silently.

## Example
Fails:
```yaml
- version: 1
```

Passes:
```yaml
version: 1
app:
  name: Acme Timesheets for Jira
```
",
    }

    UNSUPPORTED_YAML {
        code: "CF006",
        name: "unsupported-yaml",
        severity: Error,
        summary: "The file uses YAML features a questionnaire does not need",
        docs: "## What it checks
Nesting deeper than 64 levels, aliases that expand to more than 10,000 nodes, custom tags
(`!foo`), and keys that are themselves lists or mappings are refused.

## Why it matters
A questionnaire is at most six levels deep and has plain string keys. These features serve
no answer, and deep nesting and alias expansion (\"billion laughs\") are how a hostile file
exhausts memory or time on a CI runner.

## Example
Fails:
```yaml
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
```

Passes: a questionnaire written out in full, as `cfready init` starts it.
",
    }
}
