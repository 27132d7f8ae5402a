//! Automatic backups (`--backup-dir`, `--backup-every`, `--backup-keep`).
//!
//! On schedule, the durable state — the log up to the last flush and the
//! accounts, the very backup the secretariat downloads — is written into a
//! directory outside the data directory: to a temporary file first, synced,
//! then renamed, so a backup file is either whole or absent. The newest
//! `keep` are kept; files of other programs in the directory are left alone.
//! The newest backup's time, size and version are in `/metrics` and on the
//! secretariat's account page; a failure is logged, counted, shown there,
//! and retried soon.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ara_shared::Version;
use ara_shared::account::{BackupInfo, BackupsStatus};
use ara_shared::date::Date;
use tokio::sync::watch;

use crate::auth::{self, Auth};
use crate::export::{Backup, BackupError};
use crate::metrics::Metrics;
use crate::store::Store;

/// Every backup file the server writes is named
/// `ara-planner-backup-YYYYMMDDTHHMMSS.mmmZ-vVERSION.json`, so that the
/// names sort by time.
const PREFIX: &str = "ara-planner-backup-";
const SUFFIX: &str = ".json";
/// What a backup is called while it is written.
const PARTIAL: &str = ".partial";
/// After a failed attempt the next one comes this soon (or at the regular
/// time, when that is sooner).
const RETRY: Duration = Duration::from_secs(300);

const MS_PER_DAY: i64 = 86_400_000;

/// Where, how often and how many.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

#[derive(Default)]
struct Outcomes {
    latest: Option<BackupInfo>,
    failed_ms: Option<i64>,
}

/// The automatic backups of one server: their schedule and how they went.
pub struct Backups {
    schedule: Option<Schedule>,
    outcomes: Mutex<Outcomes>,
    metrics: Arc<Metrics>,
}

impl Backups {
    /// No automatic backups.
    pub fn off(metrics: Arc<Metrics>) -> Self {
        Self {
            schedule: None,
            outcomes: Mutex::default(),
            metrics,
        }
    }

    /// Prepares the backup directory: creates it, proves it writable,
    /// removes what an interrupted backup left, and finds the newest backup
    /// (the schedule goes on from there across restarts).
    pub fn open(schedule: Schedule, metrics: Arc<Metrics>) -> Result<Self, BackupError> {
        fs::create_dir_all(&schedule.dir)?;
        for entry in fs::read_dir(&schedule.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PREFIX) && name.ends_with(PARTIAL) {
                fs::remove_file(entry.path())?;
            }
        }
        let probe = schedule.dir.join(format!("{PREFIX}probe{PARTIAL}"));
        fs::write(&probe, b"")?;
        fs::remove_file(&probe)?;
        let latest = list(&schedule.dir)?.pop().map(|(_, info)| info);
        if let Some(info) = &latest {
            metrics.record_backup(info);
        }
        Ok(Self {
            schedule: Some(schedule),
            outcomes: Mutex::new(Outcomes {
                latest,
                failed_ms: None,
            }),
            metrics,
        })
    }

    pub fn status(&self) -> BackupsStatus {
        let outcomes = self.outcomes.lock().unwrap_or_else(|p| p.into_inner());
        BackupsStatus {
            automatic: self.schedule.is_some(),
            every_secs: self.schedule.as_ref().map_or(0, |s| s.every.as_secs()),
            keep: self
                .schedule
                .as_ref()
                .map_or(0, |s| u32::try_from(s.keep).unwrap_or(u32::MAX)),
            latest: outcomes.latest,
            failed_ms: outcomes.failed_ms,
        }
    }

    /// Writes backups on schedule until shutdown. The first one is due
    /// `every` after the newest in the directory, or at once if there is
    /// none.
    pub async fn run(
        self: Arc<Self>,
        store: Store,
        auth: Arc<Auth>,
        shutdown: watch::Receiver<bool>,
    ) {
        let Some(schedule) = self.schedule.clone() else {
            return;
        };
        let mut shutdown = shutdown;
        loop {
            let wait = self.until_next(&schedule, auth::now_ms());
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = shutdown.wait_for(|stop| *stop) => return,
            }
            let me = self.clone();
            let (store, auth, schedule) = (store.clone(), auth.clone(), schedule.clone());
            let written =
                tokio::task::spawn_blocking(move || me.write(&schedule, &store, &auth)).await;
            let failure = match written {
                Ok(Ok((file, info))) => {
                    tracing::info!(file = %file.display(), version = %info.version, bytes = info.bytes, "backup written");
                    continue;
                }
                Ok(Err(e)) => e.to_string(),
                Err(e) => format!("the backup task failed: {e}"),
            };
            tracing::error!(dir = %self.schedule_dir().display(), error = %failure, "automatic backup failed; retrying soon");
            self.metrics.count_backup_failure();
            self.outcomes
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .failed_ms = Some(auth::now_ms());
        }
    }

    fn schedule_dir(&self) -> &Path {
        self.schedule.as_ref().map_or(Path::new(""), |s| &s.dir)
    }

    /// How long until the next backup is due at `now_ms`.
    fn until_next(&self, schedule: &Schedule, now_ms: i64) -> Duration {
        let outcomes = self.outcomes.lock().unwrap_or_else(|p| p.into_inner());
        let every = i64::try_from(schedule.every.as_millis()).unwrap_or(i64::MAX);
        let retry = i64::try_from(RETRY.as_millis())
            .unwrap_or(i64::MAX)
            .min(every);
        let due = match (outcomes.latest, outcomes.failed_ms) {
            (_, Some(failed)) => failed.saturating_add(retry),
            (Some(latest), None) => latest.created_ms.saturating_add(every),
            (None, None) => now_ms,
        };
        Duration::from_millis(u64::try_from(due.saturating_sub(now_ms)).unwrap_or(0))
    }

    /// Writes one backup of what is durable now and prunes the old ones.
    fn write(
        &self,
        schedule: &Schedule,
        store: &Store,
        auth: &Auth,
    ) -> Result<(PathBuf, BackupInfo), BackupError> {
        let durable = self.metrics.durable_entries();
        let backup = Backup::take(store, auth.user_records()?, durable)?;
        let name = file_name(backup.created_ms, backup.version);
        let file = schedule.dir.join(&name);
        let partial = schedule.dir.join(format!("{name}{PARTIAL}"));
        let bytes = crate::whole_file::write_json(&file, &partial, &backup)?;
        let info = BackupInfo {
            created_ms: backup.created_ms,
            bytes,
            version: backup.version,
        };
        self.metrics.record_backup(&info);
        {
            let mut outcomes = self.outcomes.lock().unwrap_or_else(|p| p.into_inner());
            outcomes.latest = Some(info);
            outcomes.failed_ms = None;
        }
        let all = list(&schedule.dir)?;
        let surplus = all.len().saturating_sub(schedule.keep.max(1));
        for (old, _) in &all[..surplus] {
            fs::remove_file(old)?;
        }
        Ok((file, info))
    }
}

/// The name of the backup of `version` made at `created_ms`.
pub fn file_name(created_ms: i64, version: Version) -> String {
    let in_day = created_ms.rem_euclid(MS_PER_DAY);
    let date = Date::from_unix_ms(created_ms).map_or_else(
        || "00000000".to_owned(),
        |d| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
    );
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{PREFIX}{date}T{h:02}{m:02}{s:02}.{ms:03}Z-v{version}{SUFFIX}")
}

/// When and of which version a backup file of ours was made, from its name.
fn parse_name(name: &str) -> Option<(i64, Version)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, version) = rest.split_once("Z-v")?;
    let version = Version(version.parse().ok()?);
    let (date, time) = stamp.split_once('T')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (hms, ms) = time.split_once('.')?;
    if date.len() != 8
        || hms.len() != 6
        || ms.len() != 3
        || ![date, hms, ms].iter().all(|s| digits(s))
    {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let date = Date::new(
        u16::try_from(num(&date[..4])?).ok()?,
        u8::try_from(num(&date[4..6])?).ok()?,
        u8::try_from(num(&date[6..])?).ok()?,
    )
    .ok()?;
    let (h, m, s) = (num(&hms[..2])?, num(&hms[2..4])?, num(&hms[4..])?);
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    let ms = date.days_since_epoch() * MS_PER_DAY + ((h * 60 + m) * 60 + s) * 1000 + num(ms)?;
    Some((ms, version))
}

/// The server's backup files in `dir`, oldest first.
pub fn list(dir: &Path) -> Result<Vec<(PathBuf, BackupInfo)>, std::io::Error> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some((created_ms, version)) = name.to_str().and_then(parse_name) else {
            continue;
        };
        let metadata = entry.metadata()?;
        if !metadata.is_file() {
            continue;
        }
        found.push((
            entry.path(),
            BackupInfo {
                created_ms,
                bytes: metadata.len(),
                version,
            },
        ));
    }
    found.sort_by(|(a, _), (b, _)| a.file_name().cmp(&b.file_name()));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time_and_read_back() {
        let a = file_name(1_764_764_460_123, Version(42));
        assert_eq!(a, "ara-planner-backup-20251203T122100.123Z-v42.json");
        assert_eq!(parse_name(&a), Some((1_764_764_460_123, Version(42))));
        let b = file_name(1_764_764_460_124, Version(7));
        assert!(a < b, "a later backup sorts after");
        for other in [
            "ara-planner-backup-v42.json",
            "ara-planner-backup-20251203T122100.123Z-v42.json.partial",
            "ara-planner-backup-20251303T122100.123Z-v42.json",
            "ara-planner-backup-20251203T242100.123Z-v42.json",
            "notes.json",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }

    #[test]
    fn the_first_backup_is_due_at_once_then_every_period_and_soon_after_a_failure() {
        let metrics = Arc::new(Metrics::default());
        let schedule = Schedule {
            dir: PathBuf::from("unused"),
            every: Duration::from_secs(86_400),
            keep: 3,
        };
        let backups = Backups {
            schedule: Some(schedule.clone()),
            outcomes: Mutex::default(),
            metrics,
        };
        assert_eq!(backups.until_next(&schedule, 1_000), Duration::ZERO);
        backups.outcomes.lock().expect("lock").latest = Some(BackupInfo {
            created_ms: 1_000,
            bytes: 10,
            version: Version(1),
        });
        assert_eq!(
            backups.until_next(&schedule, 1_000 + 3_600_000),
            Duration::from_secs(86_400 - 3_600)
        );
        backups.outcomes.lock().expect("lock").failed_ms = Some(2_000);
        assert_eq!(backups.until_next(&schedule, 2_000), RETRY);
    }
}
