//! The studio's working week ([`WorkWeek`]) and day arithmetic over it: lags
//! of dependencies and slack of the schedule count working days.
//!
//! Every function is O(1) in the length of the span (whole weeks are jumped,
//! since any 7 consecutive days hold the same number of working days), so a
//! re-plan over hundreds of dependencies with year-long lags stays cheap.

use pt_protocol::Day;

/// The studio's working days (ISO weekdays 1 = Monday … 7 = Sunday).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkWeek {
    days: [bool; 7],
}

/// ISO weekday of a day, 1 = Monday … 7 = Sunday. Arithmetic rather than
/// [`Day::weekday`] (chrono), which panics far outside 1970..9999; 1970-01-01
/// was a Thursday.
fn iso_weekday(day: Day) -> u8 {
    ((i64::from(day.0) + 3).rem_euclid(7) + 1) as u8
}

impl WorkWeek {
    /// From ISO weekdays; an empty list means every day. A list naming no
    /// valid weekday also means every day: a week without a working day would
    /// make every lag infinite.
    pub fn from_iso_days(days: &[u8]) -> Self {
        let mut out = [false; 7];
        for d in days.iter().filter(|d| (1..=7).contains(*d)) {
            out[usize::from(*d - 1)] = true;
        }
        if !out.contains(&true) {
            out = [true; 7];
        }
        Self { days: out }
    }

    pub fn is_working(&self, day: Day) -> bool {
        self.days[usize::from(iso_weekday(day) - 1)]
    }

    /// Working days per week (1 to 7).
    fn per_week(&self) -> i32 {
        self.days.iter().filter(|d| **d).count() as i32
    }

    /// Counts `n` working days from `d`, `d` itself not counted: `n > 0` gives
    /// the `n`-th working day after `d`, `n < 0` the `|n|`-th working day
    /// before `d`, `n = 0` gives `d` unchanged (working day or not).
    ///
    /// With Monday–Friday: from Friday, `+1` is Monday; from Saturday, `+1` is
    /// Monday as well; from Monday, `-1` is Friday.
    pub fn add_working_days(&self, d: Day, n: i32) -> Day {
        if n == 0 {
            return d;
        }
        let step = n.signum();
        let mut left = n.saturating_abs();
        let w = self.per_week();
        // Jump whole weeks while at least one more working day remains to
        // count after them: 7 days past any day hold exactly `w` working days.
        let weeks = (left - 1) / w;
        let mut cur = d.plus(step.saturating_mul(7).saturating_mul(weeks));
        left -= weeks * w;
        while left > 0 {
            cur = cur.plus(step);
            if self.is_working(cur) {
                left -= 1;
            }
        }
        cur
    }

    /// `d` when it is a working day, else the first working day after it.
    pub fn next_working_day(&self, d: Day) -> Day {
        let mut cur = d;
        while !self.is_working(cur) {
            cur = cur.plus(1);
        }
        cur
    }

    /// Working days in `[from, to)`; 0 when `to <= from`.
    pub fn working_days_between(&self, from: Day, to: Day) -> i32 {
        let span = from.until(to);
        if span <= 0 {
            return 0;
        }
        let mut count = span / 7 * self.per_week();
        let mut cur = from.plus(span / 7 * 7);
        while cur < to {
            count += i32::from(self.is_working(cur));
            cur = cur.plus(1);
        }
        count
    }

    /// The latest day `x` with `add_working_days(x, n) <= y`: the exact
    /// inverse of a lag, used by the schedule's backward pass. `add_working_days`
    /// is monotone in its day, so this is well defined; it starts from the
    /// estimate `add_working_days(y, -n)` and corrects it by a few days (the
    /// estimate is off only around days off).
    pub fn latest_with_shift_at_most(&self, y: Day, n: i32) -> Day {
        if n == 0 {
            return y;
        }
        let mut x = self.add_working_days(y, n.saturating_neg());
        while self.add_working_days(x, n) > y {
            x = x.plus(-1);
        }
        while self.add_working_days(x.plus(1), n) <= y {
            x = x.plus(1);
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-02 is a Monday.
    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    const MON_FRI: [u8; 5] = [1, 2, 3, 4, 5];

    #[test]
    fn weekdays_match_chrono() {
        for k in -20..4000 {
            let day = Day(k);
            if day.0 >= 0 {
                assert_eq!(iso_weekday(day), day.weekday(), "{day}");
            }
        }
        assert_eq!(iso_weekday(d("2026-11-02")), 1);
    }

    #[test]
    fn weeks_from_iso_days() {
        let w = WorkWeek::from_iso_days(&MON_FRI);
        assert!(w.is_working(d("2026-11-06")));
        assert!(!w.is_working(d("2026-11-07")));
        let all = WorkWeek::from_iso_days(&[]);
        assert!(all.is_working(d("2026-11-07")));
        assert_eq!(WorkWeek::from_iso_days(&[0, 9]), all);
    }

    #[test]
    fn adding_working_days_skips_days_off_and_does_not_count_the_start() {
        let w = WorkWeek::from_iso_days(&MON_FRI);
        assert_eq!(w.add_working_days(d("2026-11-06"), 1), d("2026-11-09")); // Fri +1 → Mon
        assert_eq!(w.add_working_days(d("2026-11-07"), 1), d("2026-11-09")); // Sat +1 → Mon
        assert_eq!(w.add_working_days(d("2026-11-02"), 5), d("2026-11-09")); // Mon +5 → next Mon
        assert_eq!(w.add_working_days(d("2026-11-02"), 10), d("2026-11-16"));
        assert_eq!(w.add_working_days(d("2026-11-09"), -1), d("2026-11-06")); // Mon -1 → Fri
        assert_eq!(w.add_working_days(d("2026-11-08"), -1), d("2026-11-06")); // Sun -1 → Fri
        assert_eq!(w.add_working_days(d("2026-11-16"), -10), d("2026-11-02"));
        assert_eq!(w.add_working_days(d("2026-11-07"), 0), d("2026-11-07"));
    }

    #[test]
    fn adding_matches_counting_one_day_at_a_time() {
        for days in [&MON_FRI[..], &[1, 3], &[7], &[2, 3, 4, 5, 6, 7]] {
            let w = WorkWeek::from_iso_days(days);
            for start in 20_000..20_014 {
                for n in -40..=40 {
                    let mut cur = Day(start);
                    let mut left: i32 = n;
                    while left != 0 {
                        cur = cur.plus(left.signum());
                        if w.is_working(cur) {
                            left -= left.signum();
                        }
                    }
                    assert_eq!(w.add_working_days(Day(start), n), cur, "{days:?} {start} {n}");
                }
            }
        }
    }

    #[test]
    fn counting_working_days_between() {
        let w = WorkWeek::from_iso_days(&MON_FRI);
        assert_eq!(w.working_days_between(d("2026-11-02"), d("2026-11-09")), 5);
        assert_eq!(w.working_days_between(d("2026-11-06"), d("2026-11-10")), 2); // Fri, Mon
        assert_eq!(w.working_days_between(d("2026-11-07"), d("2026-11-09")), 0); // Sat, Sun
        assert_eq!(w.working_days_between(d("2026-11-09"), d("2026-11-02")), 0);
        assert_eq!(w.working_days_between(d("2026-11-02"), d("2027-11-02")), 261);
        assert_eq!(w.next_working_day(d("2026-11-07")), d("2026-11-09"));
        assert_eq!(w.next_working_day(d("2026-11-06")), d("2026-11-06"));
    }

    #[test]
    fn the_inverse_of_a_lag_is_the_latest_day_that_satisfies_it() {
        for days in [&MON_FRI[..], &[1, 3], &[6, 7]] {
            let w = WorkWeek::from_iso_days(days);
            for y in 20_000..20_014 {
                for n in -20..=20 {
                    let x = w.latest_with_shift_at_most(Day(y), n);
                    assert!(w.add_working_days(x, n) <= Day(y), "{days:?} {y} {n}");
                    assert!(w.add_working_days(x.plus(1), n) > Day(y), "{days:?} {y} {n}");
                }
            }
        }
    }
}
