//! Fuzz the decoding of the public application, as the web layer does it, with the domain's types: the JSON
//! API body (an object of strings into `ApplicationForm`) and the urlencoded form (pairs into a map, then
//! `ApplicationForm`), then `check_form` (identity numbers, credit codes, phone, lengths, delivery form …).
//! Also the attachment checks of the form (`check_attachment`, the catalog's `sniff_attachment`, and the
//! PDF parse of `gongkai_report::pdf_check`), with the first line of the input as the file name. Must never
//! panic; bad input is a list of (field, message).
#![no_main]

mod pdf_hook;

use gongkai_domain::application::check_attachment;
use gongkai_domain::application::form::{ApplicationForm, check_form};
use gongkai_domain::catalog::sniff_attachment;
use libfuzzer_sys::fuzz_target;

fn check(form: &ApplicationForm) {
    if let Err(errors) = check_form(form) {
        assert!(!errors.is_empty(), "a refusal names at least one problem");
    }
}

fuzz_target!(
    init: pdf_hook::let_pdf_panics_reach_catch_unwind(),
    |data: &[u8]| {
        // JSON API body: only an object is a form (as `json_form` in gongkai-web).
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(data)
            && let Ok(form) = serde_json::from_value::<ApplicationForm>(serde_json::Value::Object(map))
        {
            check(&form);
        }
        // Urlencoded form (as `serde_urlencoded_compat` in gongkai-web).
        let map: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(data)
            .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
            .collect();
        let form: ApplicationForm = serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default();
        check(&form);
        // An upload: the name is the first line, the bytes the rest.
        let (name, bytes) = match data.iter().position(|b| *b == b'\n') {
            Some(i) => (String::from_utf8_lossy(&data[..i]).into_owned(), &data[i + 1..]),
            None => ("a.pdf".to_owned(), data),
        };
        if check_attachment(&name, bytes) == Ok("application/pdf") || sniff_attachment(&name, bytes) == Ok("application/pdf") {
            let _ = gongkai_report::pdf_check::check_pdf(bytes);
        }
        let _ = gongkai_report::pdf_check::check_pdf(data);
    }
);
