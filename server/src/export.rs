//! Getting data out and back in: the full JSON backup (and its restore, which
//! checks the whole file before anything is replaced) and the CSV export of
//! the work programme.

use std::fs;
use std::path::{Path, PathBuf};

use ara_shared::sequencer::Sequencer as Core;
use ara_shared::stakeholder::LinkTarget;
use std::collections::{HashMap, HashSet};

use ara_shared::{LogEntry, Role, State, UserId, Version};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization as _;

use crate::auth::{self, UserRecord};
use crate::history_index;
use crate::store::{LogStore, Snapshot, Store, StoreError, seal};

const BACKUP_FORMAT: &str = "ara-planner-backup/1";

/// Everything needed to rebuild a server: the whole log and the accounts
/// (with their password hashes; sessions and invitations are left out, so
/// everyone signs in again after a restore). Keep backups as safe as the
/// server itself.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    pub format: String,
    pub created_ms: i64,
    pub version: Version,
    pub entries: Vec<LogEntry>,
    pub users: Vec<UserRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot read the backup file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is not an ARA Planner backup: {0}")]
    NotABackup(String),
    #[error("the backup is of format {found}; this build reads {BACKUP_FORMAT}")]
    WrongFormat { found: String },
    #[error("the backup is inconsistent: {0}")]
    Inconsistent(String),
    #[error(
        "the data directory {0} is not empty; restore into a new directory or move it away first"
    )]
    TargetNotEmpty(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Auth(#[from] auth::AuthError),
}

impl Backup {
    /// A consistent copy of the store: the log up to `durable` entries (a
    /// running server passes what it has flushed) and the accounts.
    pub fn take(
        store: &Store,
        users: Vec<UserRecord>,
        durable: usize,
    ) -> Result<Self, BackupError> {
        let entries = store.entries_after(Version(0), durable)?;
        Ok(Self {
            format: BACKUP_FORMAT.into(),
            created_ms: auth::now_ms(),
            version: entries.last().map_or(Version(0), |e| e.version),
            entries,
            users,
        })
    }

    /// The backup of a stopped server's store: everything in the log, and
    /// the accounts (for `backup` and `compact`).
    pub fn of_stopped_store(store: &Store) -> Result<Self, BackupError> {
        let users = auth::Auth::open(store, false)?.user_records()?;
        Self::take(store, users, usize::MAX)
    }

    /// Parses and checks a whole backup file (see [`Backup::check`]).
    pub fn parse_and_check(bytes: &[u8]) -> Result<CheckedBackup, BackupError> {
        let backup: Backup =
            serde_json::from_slice(bytes).map_err(|e| BackupError::NotABackup(e.to_string()))?;
        backup.check()
    }

    /// Checks a whole backup: format, continuous versions, every entry valid
    /// under the rules, accounts unique and as the live server makes them.
    pub fn check(self) -> Result<CheckedBackup, BackupError> {
        if self.format != BACKUP_FORMAT {
            return Err(BackupError::WrongFormat { found: self.format });
        }
        let mut core = Core::new();
        for entry in &self.entries {
            core.replay_untracked(entry)
                .map_err(|e| BackupError::Inconsistent(e.to_string()))?;
        }
        if self.version != Version(self.entries.len() as u64) {
            return Err(BackupError::Inconsistent(
                "the version does not match the entries".into(),
            ));
        }
        check_authors(&self.entries, &self.users)?;
        check_accounts(&self.users, core.state())?;
        Ok(CheckedBackup { backup: self, core })
    }
}

/// A backup that passed [`Backup::check`], with the state its log replays
/// to. Only a checked backup becomes a store.
#[derive(Debug)]
pub struct CheckedBackup {
    backup: Backup,
    /// The log read back: its state and its client ids.
    core: Core,
}

impl CheckedBackup {
    pub fn version(&self) -> Version {
        self.backup.version
    }

    /// Builds a new store in `dir` (missing or empty): the log, a snapshot
    /// of the last version (the check computed that state anyway, so the
    /// first start loads it instead of replaying the whole log), and the
    /// accounts with their email index and calendar feeds. Returns it open
    /// and not yet flushed, so that `compact` can add what a backup leaves
    /// out; the one place both `restore` and `compact` make a store.
    pub fn build_store(&self, dir: &Path) -> Result<Store, BackupError> {
        let store = Store::open_unsealed(dir)?;
        // With its history index, so the first start need not replay the
        // log again to build it.
        history_index::append_from_start(
            &store,
            &self.backup.entries,
            crate::store::BULK_CHUNK,
            Store::flush_blocking,
        )?;
        if self.backup.version > Version(0) {
            store.write_snapshot(&Snapshot {
                version: self.backup.version,
                state: self.core.state().clone(),
                clients: self.core.clients().records(),
                legacy_applied: Vec::new(),
            })?;
        }
        let auth = auth::Auth::open(&store, false)?;
        for user in &self.backup.users {
            auth.restore_user(user)?;
        }
        Ok(store)
    }
}

/// Every account is one the live server could have made: a valid name
/// unique but for case and spacing, a normalised email unique as such, an
/// Argon2id password hash, a region only for a region editor and one the
/// programme knows, and a calendar feed hash of the right form.
fn check_accounts(users: &[UserRecord], state: &State) -> Result<(), BackupError> {
    let mut emails = HashSet::new();
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for user in users {
        let bad = |what: &str| {
            BackupError::Inconsistent(format!("account {} ({}): {what}", user.id, user.email))
        };
        if auth::valid_name(&user.name).ok().as_deref() != Some(user.name.as_str()) {
            return Err(bad(
                "the name is empty, too long or holds control characters",
            ));
        }
        let Ok(email) = auth::normalise_email(&user.email) else {
            return Err(bad("the email is not a valid address"));
        };
        if !emails.insert(email.clone()) {
            return Err(bad(
                "another account has the same email but for case or spacing",
            ));
        }
        if email != user.email {
            return Err(bad(
                "the email is not in its normal form (trimmed, lower case)",
            ));
        }
        if !auth::valid_password_hash(&user.password_hash) {
            return Err(bad("the password hash is not an Argon2id hash"));
        }
        let region_ok = match (user.role, user.region) {
            (Role::RegionEditor, Some(region)) => state.regions.contains_key(&region),
            (Role::RegionEditor, None) => true,
            (_, region) => region.is_none(),
        };
        if !region_ok {
            return Err(bad("the region is unknown or not for this role"));
        }
        let feed_ok = user
            .calendar_feed
            .as_deref()
            .is_none_or(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if !feed_ok {
            return Err(bad("the calendar feed is not a hash"));
        }
        if !ids.insert(user.id) {
            return Err(bad("the account appears twice"));
        }
        if !names.insert(auth::name_key(&user.name)) {
            return Err(bad(
                "another account has the same name but for case or spacing",
            ));
        }
    }
    Ok(())
}

/// Nobody's name is forged onto an entry: names never change, so every
/// entry of an account in the backup carries that account's name, and all
/// entries of one removed account carry one name; every author's name is
/// one the live server accepts.
fn check_authors(entries: &[LogEntry], users: &[UserRecord]) -> Result<(), BackupError> {
    let mut names: HashMap<UserId, &str> = users.iter().map(|u| (u.id, u.name.as_str())).collect();
    for entry in entries {
        let actor = &entry.actor;
        let forged = |what: &str| {
            BackupError::Inconsistent(format!("entry {} by {}: {what}", entry.version, actor.user))
        };
        if auth::valid_name(&actor.name).ok().as_deref() != Some(actor.name.as_str()) {
            return Err(forged("the author's name is not valid"));
        }
        let known = *names.entry(actor.user).or_insert(actor.name.as_str());
        if known != actor.name {
            return Err(forged("the author's name differs from the account's"));
        }
    }
    Ok(())
}

fn dir_is_empty(dir: &Path) -> Result<bool, std::io::Error> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// `ara-server backup FILE`: writes the backup of a stopped server's store.
pub fn backup_to_file(data_dir: &Path, file: &Path) -> Result<Version, BackupError> {
    let (backup, last) = {
        let store = Store::open(data_dir)?;
        (Backup::of_stopped_store(&store)?, store.last_version()?)
    };
    // The store is closed again: seal it, as a stopped server does.
    seal::seal_closed(data_dir, last)?;
    crate::whole_file::write_json(file, &file.with_extension("partial"), &backup)?;
    Ok(backup.version)
}

/// `ara-server restore FILE`: checks the whole file, builds the store in a
/// new directory beside the target, and only then moves it into place. The
/// target must be empty or missing, so nothing is overwritten by mistake.
pub fn restore_from_file(file: &Path, data_dir: &Path) -> Result<Version, BackupError> {
    let bytes = fs::read(file)?;
    let checked = Backup::parse_and_check(&bytes)?;
    if !dir_is_empty(data_dir)? {
        return Err(BackupError::TargetNotEmpty(data_dir.to_path_buf()));
    }
    let staging = data_dir.with_extension(format!("restoring-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    checked.build_store(&staging)?.flush_blocking()?;
    seal::seal_closed(&staging, checked.version())?;
    if data_dir.exists() {
        fs::remove_dir(data_dir)?;
    }
    fs::rename(&staging, data_dir)?;
    Ok(checked.version())
}

/// Whether a spreadsheet program could read the cell as a formula (CSV
/// injection): it starts with a tab or carriage return, or its first
/// character that is not a control character starts a formula once Unicode
/// compatibility characters are folded (NFKC), as some programs fold the
/// full-width `＝` into `=`. Control characters are skipped because some
/// programs drop them on import (`\0=1+1` would be `=1+1`).
fn may_be_formula(value: &str) -> bool {
    value.starts_with(['\t', '\r'])
        || value
            .nfkc()
            .find(|c| !c.is_control())
            .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@'))
}

/// One CSV cell (RFC 4180): a possible formula is prefixed with `'`, which
/// spreadsheets take as "this is text" (so `-1` comes out as text too: an
/// export for reading, not for sums), then quoted where needed.
fn csv_field(value: &str) -> String {
    let value = if may_be_formula(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The work programme as CSV (RFC 4180), one priority a row, in order.
pub fn priorities_csv(state: &State) -> String {
    let mut out = String::from("position,id,title,status,term,start,end\r\n");
    for (i, p) in state.priorities_in_order().enumerate() {
        let row = [
            (i + 1).to_string(),
            p.id.to_string(),
            p.title.clone(),
            p.status.key().to_owned(),
            p.horizon.term.key().to_owned(),
            p.horizon.start.to_string(),
            p.horizon.end.to_string(),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The stakeholder network as CSV: one organisation a row, its links listed.
pub fn stakeholders_csv(state: &State) -> String {
    let mut out = String::from("id,name,kind,country,website,links\r\n");
    for s in state.stakeholders.values() {
        let links: Vec<String> = state
            .links
            .values()
            .filter(|l| l.stakeholder == s.id)
            .map(|l| {
                let target = match l.target {
                    LinkTarget::Region(r) => state.regions.get(&r).map(|r| r.name.clone()),
                    LinkTarget::Priority(p) => state.priorities.get(&p).map(|p| p.title.clone()),
                };
                format!("{}: {}", l.relation.key(), target.unwrap_or_default())
            })
            .collect();
        let row = [
            s.id.to_string(),
            s.name.clone(),
            s.kind.key().to_owned(),
            s.country.clone(),
            s.website.clone(),
            links.join("; "),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    /// One cell in, the cell as written out.
    fn check(cases: &[(&str, &str)]) {
        for (cell, written) in cases {
            assert_eq!(csv_field(cell), *written, "{cell:?}");
        }
    }

    #[test]
    fn a_cell_starting_a_formula_is_prefixed_as_text() {
        check(&[
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(1)", "'@SUM(1)"),
        ]);
    }

    #[test]
    fn a_tab_or_carriage_return_in_front_is_prefixed_as_text() {
        check(&[
            ("\t=1", "'\t=1"),
            ("\tplain", "'\tplain"),
            ("\r=1", "\"'\r=1\""),
        ]);
    }

    #[test]
    fn control_characters_before_a_formula_do_not_hide_it() {
        check(&[("\0=1+1", "'\0=1+1"), ("\u{1b}\u{7f}@x", "'\u{1b}\u{7f}@x")]);
    }

    #[test]
    fn full_width_formula_characters_are_prefixed_as_text() {
        check(&[
            ("＝1+1", "'＝1+1"),
            ("＋1", "'＋1"),
            ("﹣1", "'﹣1"),
            ("＠SUM(1)", "'＠SUM(1)"),
        ]);
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        check(&[
            ("Battery value chain", "Battery value chain"),
            (
                "Skills for the transition – 2030",
                "Skills for the transition – 2030",
            ),
            ("1+1=2", "1+1=2"),
            ("e-mobility", "e-mobility"),
            ("", ""),
        ]);
    }

    #[test]
    fn every_cell_of_both_exports_is_defused() {
        use ara_shared::stakeholder::{Stakeholder, StakeholderKind};
        use ara_shared::{Horizon, Priority, PriorityId, Quarter, StakeholderId, Term};

        let mut state = State::default();
        let horizon = Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid quarter"),
            end: Quarter::new(2026, 2).expect("valid quarter"),
        };
        let id = PriorityId::from_parts(1, [1; 10]);
        state
            .priorities
            .insert(id, Priority::new(id, "＝1+1".into(), horizon));
        state.programme_order.push(id);
        let org = StakeholderId::from_parts(2, [2; 10]);
        state.stakeholders.insert(
            org,
            Stakeholder {
                id: org,
                name: "@SUM(1)".into(),
                kind: StakeholderKind::Industry,
                country: "DE".into(),
                website: "-1".into(),
            },
        );
        let priorities = priorities_csv(&state);
        assert!(priorities.contains(",'＝1+1,"), "{priorities}");
        let stakeholders = stakeholders_csv(&state);
        assert!(stakeholders.contains(",'@SUM(1),"), "{stakeholders}");
        assert!(stakeholders.contains(",'-1,"), "{stakeholders}");
    }

    #[test]
    fn a_restored_store_starts_from_a_snapshot_of_its_last_version() {
        use ara_shared::{Actor, ClientId, Mutation, PriorityId, Role, Seq, UserId};
        let actor = Actor {
            user: UserId::from_parts(1, [1; 10]),
            name: "Secretariat".into(),
            role: Role::Secretariat,
            region: None,
        };
        let client_id = ClientId::from_parts(2, [2; 10]);
        let horizon = ara_shared::Horizon {
            term: ara_shared::Term::Short,
            start: ara_shared::Quarter::new(2026, 1).expect("valid"),
            end: ara_shared::Quarter::new(2026, 4).expect("valid"),
        };
        let entries: Vec<LogEntry> = (1..=3u8)
            .map(|i| LogEntry {
                version: Version(u64::from(i)),
                client_id,
                seq: Seq(u64::from(i)),
                actor: actor.clone(),
                at_ms: 0,
                mutation: Mutation::CreatePriority {
                    id: PriorityId::from_parts(u64::from(i), [i; 10]),
                    title: format!("P{i}"),
                    horizon,
                },
            })
            .collect();
        let backup = Backup {
            format: BACKUP_FORMAT.into(),
            created_ms: 0,
            version: Version(3),
            entries,
            users: Vec::new(),
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("backup.json");
        fs::write(&file, serde_json::to_vec(&backup).expect("encode")).expect("write");
        let data = dir.path().join("data");
        assert_eq!(
            restore_from_file(&file, &data).expect("restores"),
            Version(3)
        );

        let store = Store::open(&data).expect("opens");
        let snapshot = store.latest_snapshot().expect("reads").expect("a snapshot");
        let checked = Backup::parse_and_check(&fs::read(&file).expect("read")).expect("valid");
        assert_eq!(snapshot.version, Version(3));
        assert_eq!(&snapshot.state, checked.core.state());
        assert_eq!(
            snapshot.clients,
            vec![(
                client_id,
                ara_shared::clients::ClientRecord {
                    owner: actor.user,
                    applied: Some((Seq(3), Version(3))),
                }
            )]
        );
    }

    #[test]
    fn a_backup_with_a_gap_is_refused() {
        let json = r#"{"format":"ara-planner-backup/1","created_ms":0,"version":1,"entries":[],"users":[]}"#;
        assert!(matches!(
            Backup::parse_and_check(json.as_bytes()),
            Err(BackupError::Inconsistent(_))
        ));
        let wrong =
            r#"{"format":"something/9","created_ms":0,"version":0,"entries":[],"users":[]}"#;
        assert!(matches!(
            Backup::parse_and_check(wrong.as_bytes()),
            Err(BackupError::WrongFormat { .. })
        ));
        assert!(matches!(
            Backup::parse_and_check(b"[]"),
            Err(BackupError::NotABackup(_))
        ));
    }
}
