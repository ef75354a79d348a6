//! Fuzz the holiday import (`gongkai calendar import`, the console's upload): any bytes through
//! `parse_holiday_file` (the project's layout, holiday-cn's `{year}.json`, or a list), `validate`, and then
//! the calendar built from what parsed — adding and counting working days around the imported years, including
//! years left unloaded (the fixed-date statutory days). Must never panic; bad files are `CalendarImportError`.
#![no_main]

use gongkai_domain::calendar::{Calendar, parse_holiday_file};
use libfuzzer_sys::fuzz_target;
use time::{Date, Month};

fuzz_target!(|data: &[u8]| {
    let Ok(years) = parse_holiday_file(data) else { return };
    for y in &years {
        let _ = y.validate();
    }
    // Two bytes of the input pick the period's length, so the fuzzer steers it too.
    let n = data.first().map_or(20, |b| u32::from(*b)) * 4;
    let cal = Calendar::new(years.clone());
    for y in &years {
        for start in [(y.year.saturating_sub(1), Month::December, 20), (y.year, Month::September, 28)] {
            let Ok(d) = Date::from_calendar_date(start.0, start.1, start.2) else { continue };
            let due = cal.add_working_days(d, n);
            let _ = due.explanation.to_zh();
            assert_eq!(cal.count_working_days(d, due.date), due.explanation.days_counted, "count inverts add");
            let _ = cal.provisional_years(d, due.date);
            let _ = cal.day_kind(d);
        }
    }
});
