//! The small parsers and escapers on arbitrary text: durations (questionnaire and command
//! line), URLs and hosts, and the ticket's escaping and duration words.
#![no_main]

use cfready::ticket::render::{Flavor, answer, escape, every, link, words};
use cfready::{duration, net};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = duration::parse(text) {
        let _ = duration::human(parsed);
        assert!(words(text).is_some(), "a parsed duration has words");
        let _ = every(text);
    }
    let _ = duration::parse_cli(text);
    if let Some(parts) = net::split_url(text) {
        let _ = net::unreachable_host(parts.host);
    }
    let _ = net::unreachable_host(text);
    for flavor in [Flavor::Markdown, Flavor::Jira] {
        let _ = escape::inline(text, flavor);
        let _ = escape::cell(text, flavor);
        let _ = answer(text, flavor);
        let _ = link(text, flavor);
    }
});
