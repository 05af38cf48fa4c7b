//! The command line, as clap reads it. Every command has an example in its
//! `--help` (`after_help`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Where: the API is found from the CloudFormation stack's `ApiUrl` output (--stack,
else PULSE_STACK, else stack_name in samconfig.toml), or given with --url; requests
to a deployed stack are signed with SigV4 using the standard AWS credential chain
(--profile, --region, AWS_PROFILE, SSO, environment, instance roles). Against the
local stack (--local, or a --url on 127.0.0.1/localhost) the key in PULSE_API_KEY
(default local-dev-key) is sent instead. No credential is ever printed or written.

Exit codes: 0 done; 1 usage or bad input (nothing was sent); 2 the API refused the
request; 3 the API or AWS cannot be reached, or refused the credentials; 4 the work
ran but ended badly (an import failed, a distribution paused or cancelled, `pulse
doctor` found a problem).

Examples:
  pulse --local projects list
  pulse --stack pulse --profile cx projects create -f pulse.yaml
  pulse --json figures --project P1 | jq .headline";

/// Pulse's admin API from a terminal: projects, contacts, invitations, figures, budgets.
#[derive(Debug, Parser)]
#[command(name = "pulse", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub target: Target,
    /// Print JSON for scripts instead of tables (progress goes to stderr as JSON lines).
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only the id of what the command creates (projects create, accounts create, send, report; contacts upload: the list) and nothing else but errors, for `P=$(pulse … -q)`.
    #[arg(short, long, global = true, conflicts_with = "json")]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the API is and who calls it.
#[derive(Debug, Args, Clone, Default)]
pub struct Target {
    /// The API's base URL (e.g. http://127.0.0.1:3000, or a deployed stack's ApiUrl).
    #[arg(long, global = true, value_name = "URL", conflicts_with_all = ["local", "stack"])]
    pub url: Option<String>,
    /// The local stack (./infra/local.sh) on http://127.0.0.1:$PULSE_PORT (3000).
    #[arg(long, global = true, conflicts_with = "stack")]
    pub local: bool,
    /// The CloudFormation stack whose ApiUrl output is the API (default: PULSE_STACK, else samconfig.toml).
    #[arg(long, global = true, value_name = "NAME")]
    pub stack: Option<String>,
    /// The AWS profile to sign with (default: the credential chain's).
    #[arg(long, global = true, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// The AWS region of the stack (default: the profile's).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Projects: list, create from a file, show, edit, publish, logo, links.
    #[command(subcommand, after_help = "Example:\n  pulse projects create -f pulse.yaml && pulse projects publish P1")]
    Projects(Projects),
    /// Contact lists: upload a file, list the lists, show or erase a person.
    #[command(subcommand, after_help = "Example:\n  pulse contacts upload customers.csv --project P1 --list customers")]
    Contacts(Contacts),
    /// Invite a contact list (check first with --dry-run).
    #[command(after_help = "Example:\n  pulse send --project P1 --list customers --message-file invitation.yaml --dry-run\n\n\
The message file (YAML or JSON) has `messages` (per language: subject, body with\n\
{{FirstName}}, {{SurveyLink}}, …) and optionally `reminder` (after_days, messages).")]
    Send(Send),
    /// Distributions: list, show, watch until done, resume, retry, recipients, cancel.
    #[command(subcommand, after_help = "Example:\n  pulse distributions watch D1 --project P1")]
    Distributions(Distributions),
    /// A project's figures now: NPS, CSAT, CES, response rate.
    #[command(after_help = "Example:\n  pulse figures --project P1 --period week --segments Region")]
    Figures(Figures),
    /// Make a report (HTML, CSV, JSON) and print its links.
    #[command(after_help = "Example:\n  pulse report --project P1 --open")]
    Report(Report),
    /// An account's budget view (or the account of a project).
    #[command(after_help = "Example:\n  pulse budget --account A1\n  pulse budget --project P1")]
    Budget(Budget),
    /// Accounts and their plans.
    #[command(subcommand, after_help = "Example:\n  pulse accounts create \"Demo GmbH\" --plan Starter --time-zone Europe/Berlin")]
    Accounts(Accounts),
    /// B2B accounts: the accounts, the automated sync and its SFTP keys.
    #[command(
        subcommand,
        after_help = "Example:\n  pulse b2b sync set --project P1 -f sync.yaml\n  pulse b2b sftp add-key --project P1 ~/.ssh/partner.pub"
    )]
    B2b(B2b),
    /// The console's users (Cognito): list, invite, change role, disable, enable.
    #[command(subcommand, after_help = "Example:\n  pulse users invite colleague@example.com --role editor")]
    Users(Users),
    /// Any admin route, signed like every other command: for what has no command of its own.
    #[command(
        after_help = "Example:\n  pulse api GET /admin/projects/P1/b2b/sync\n  pulse api PUT /admin/projects/P1/b2b/sync -f sync.yaml\n\n\
The route is checked against the API's OpenAPI document (GET /admin/openapi.json) first."
    )]
    Api(ApiCall),
    /// Check a stack: SES sender, sandbox, send rate, public URL, schedules, dead letters, health.
    #[command(after_help = "Example:\n  pulse --stack pulse doctor\n  pulse --local doctor")]
    Doctor,
}

#[derive(Debug, Subcommand)]
pub enum Projects {
    /// Every project.
    #[command(after_help = "Example:\n  pulse projects list")]
    List,
    /// Create a project from a YAML or JSON file ({kind, settings}), checked here first.
    #[command(after_help = "Example:\n  pulse projects create -f pulse.yaml\n\n\
pulse.yaml:\n  kind: quick_check_in\n  settings:\n    organisation_name: Demo GmbH\n    business_type: B2B\n    languages: [de, en]")]
    Create {
        /// The project file (.yaml, .yml or .json).
        #[arg(short, long, value_name = "FILE")]
        file: PathBuf,
    },
    /// One project: settings, links, state.
    #[command(after_help = "Example:\n  pulse projects show P1")]
    Show {
        #[arg(allow_hyphen_values = true)]
        project: String,
    },
    /// Change a project's settings with a file holding the settings to change (merge patch), checked here first.
    #[command(after_help = "Example:\n  pulse projects edit P1 -f changes.yaml   # e.g. quiet_period_days: 30")]
    Edit {
        #[arg(allow_hyphen_values = true)]
        project: String,
        /// A file with the settings to change (YAML or JSON; a `settings:` key around them is optional).
        #[arg(short, long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Publish the draft: respondents see it from now on.
    #[command(after_help = "Example:\n  pulse projects publish P1")]
    Publish {
        #[arg(allow_hyphen_values = true)]
        project: String,
    },
    /// Upload the project's logo (SVG, PNG or JPEG, at most 1 MB).
    #[command(after_help = "Example:\n  pulse projects logo P1 logo.svg")]
    Logo {
        #[arg(allow_hyphen_values = true)]
        project: String,
        file: PathBuf,
    },
    /// The project's links: anonymous survey link, website widget; --rotate makes a new anonymous link.
    #[command(after_help = "Example:\n  pulse projects links P1")]
    Links {
        #[arg(allow_hyphen_values = true)]
        project: String,
        /// Replace the anonymous link (the old one stops working at once).
        #[arg(long)]
        rotate: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Contacts {
    /// Upload a CSV or TSV contact file, then follow its import to the end.
    #[command(after_help = "Example:\n  pulse contacts upload customers.csv --project P1 --list \"Customers 2026\"\n\n\
The file needs the columns Email, FirstName, LastName and the project's operational fields.")]
    Upload {
        file: PathBuf,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        #[arg(allow_hyphen_values = true)]
        project: String,
        /// The mailing list's name (default: the file name without extension).
        #[arg(long, value_name = "NAME")]
        list: Option<String>,
        /// Do not follow the import; print the upload id and return.
        #[arg(long)]
        no_wait: bool,
    },
    /// The project's contact lists (ids and names, for `pulse send --list`).
    #[command(after_help = "Example:\n  pulse contacts lists --project P1")]
    Lists {
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: String,
    },
    /// What the project holds about one person.
    #[command(after_help = "Example:\n  pulse contacts show anna@example.com --project P1")]
    Show {
        email: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        #[arg(allow_hyphen_values = true)]
        project: String,
    },
    /// Erase a person from the project (GDPR); needs --yes.
    #[command(after_help = "Example:\n  pulse contacts erase anna@example.com --project P1 --yes")]
    Erase {
        email: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        #[arg(allow_hyphen_values = true)]
        project: String,
        /// Confirm: the erasure cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct Send {
    #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
    pub project: String,
    /// The list's id or name.
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub list: String,
    /// The invitation (YAML or JSON): messages per language, optional reminder.
    #[arg(long, value_name = "FILE")]
    pub message_file: PathBuf,
    /// When to send (RFC 3339, e.g. 2026-12-01T09:00:00Z); now if absent.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Only say what would happen: sent, skipped by reason, budget.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: also send a test of each language's email to this address.
    #[arg(long, value_name = "EMAIL", requires = "dry_run")]
    pub test_to: Option<String>,
    /// Follow the sending until it ends.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Subcommand)]
pub enum Distributions {
    /// A project's distributions.
    #[command(after_help = "Example:\n  pulse distributions list --project P1")]
    List {
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        #[arg(allow_hyphen_values = true)]
        project: String,
    },
    /// One distribution with its counts.
    #[command(after_help = "Example:\n  pulse distributions show D1 --project P1")]
    Show {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        /// The project (default: found by looking through the projects).
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
    },
    /// Follow a distribution with a progress bar until it is done.
    #[command(after_help = "Example:\n  pulse distributions watch D1 --project P1")]
    Watch {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        /// The project (default: found by looking through the projects).
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
    },
    /// Start a paused distribution again once the sender is fixed (nobody gets two).
    #[command(after_help = "Example:\n  pulse doctor && pulse distributions resume D1 --project P1 --watch")]
    Resume {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
        /// Follow it until it ends.
        #[arg(long)]
        watch: bool,
    },
    /// Send again the invitations SES refused (never one whose delivery is unknown).
    #[command(after_help = "Example:\n  pulse distributions retry D1 --project P1")]
    Retry {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
    },
    /// Who got what and why (200 at a time; --after NEXT for the following ones).
    #[command(after_help = "Example:\n  pulse distributions recipients D1 --project P1 --state failed")]
    Recipients {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
        /// Only sent, skipped, failed, claimed or sending.
        #[arg(long)]
        state: Option<String>,
        /// The `next` of the previous page.
        #[arg(long)]
        after: Option<String>,
    },
    /// Stop a distribution that has not finished.
    #[command(after_help = "Example:\n  pulse distributions cancel D1 --project P1")]
    Cancel {
        #[arg(allow_hyphen_values = true)]
        distribution: String,
        #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
        project: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct Figures {
    #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
    pub project: String,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Trend by day, week or month.
    #[arg(long)]
    pub period: Option<String>,
    /// Segment dimensions, comma-separated (operational fields, "about you" questions).
    #[arg(long)]
    pub segments: Option<String>,
}

#[derive(Debug, Args)]
pub struct Report {
    #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
    pub project: String,
    /// Open the report's dashboard in the browser when it is written.
    #[arg(long)]
    pub open: bool,
    /// Wait until the report is written and print its file links.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Budget {
    #[arg(long, value_name = "ACCOUNT", allow_hyphen_values = true)]
    pub account: Option<String>,
    /// The account the project counts against.
    #[arg(long, value_name = "PROJECT", allow_hyphen_values = true)]
    pub project: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Accounts {
    /// Every account.
    #[command(after_help = "Example:\n  pulse accounts list")]
    List,
    /// Create an account on a plan.
    #[command(after_help = "Example:\n  pulse accounts create \"Demo GmbH\" --plan Starter --time-zone Europe/Berlin")]
    Create {
        name: String,
        /// The plan (default: Starter).
        #[arg(long)]
        plan: Option<String>,
        /// IANA time zone of the billing month (default: UTC).
        #[arg(long)]
        time_zone: Option<String>,
    },
    /// One account with its budget view.
    #[command(after_help = "Example:\n  pulse accounts show A1")]
    Show {
        #[arg(allow_hyphen_values = true)]
        account: String,
    },
    /// Move an account to another plan (applies at once).
    #[command(after_help = "Example:\n  pulse accounts plan A1 Growth")]
    Plan {
        #[arg(allow_hyphen_values = true)]
        account: String,
        plan: String,
    },
    /// Keep N records of every month for invitations.
    #[command(after_help = "Example:\n  pulse accounts reserve A1 200")]
    Reserve {
        #[arg(allow_hyphen_values = true)]
        account: String,
        invitation_reserve: u64,
    },
    /// The plans there are.
    #[command(after_help = "Example:\n  pulse accounts plans")]
    Plans,
}

#[derive(Debug, Subcommand)]
pub enum B2b {
    /// The project's accounts with health, roll-ups and teams.
    #[command(after_help = "Example:\n  pulse b2b accounts --project P1")]
    Accounts {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
    },
    /// The automated sync: show it with its runs, set it from a file, or run it now.
    #[command(subcommand, after_help = "Example:\n  pulse b2b sync show --project P1")]
    Sync(SyncCommand),
    /// The SFTP endpoint's access to the project's drop folder (SftpEndpoint=true).
    #[command(subcommand, after_help = "Example:\n  pulse b2b sftp keys --project P1")]
    Sftp(SftpCommand),
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// The sync's settings, its drop folder and its last runs.
    #[command(after_help = "Example:\n  pulse b2b sync show --project P1")]
    Show {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
    },
    /// Run the sync now, whatever its schedule (either source).
    #[command(after_help = "Example:\n  pulse b2b sync run --project P1")]
    Run {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
    },
    /// Set the sync from a YAML or JSON file, checked here first.
    #[command(after_help = "Example:\n  pulse b2b sync set --project P1 -f sync.yaml\n\n\
sync.yaml:\n  source: drop_folder\n  schedule: {every: daily, at: \"06:30\"}\n  new_list: true\n  distribute: true")]
    Set {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
        /// The settings file (.yaml, .yml or .json).
        #[arg(short, long, value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SftpCommand {
    /// The host, the project's user and its keys.
    #[command(after_help = "Example:\n  pulse b2b sftp keys --project P1")]
    Keys {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
    },
    /// Add a public key (the .pub file) for the project's user.
    #[command(after_help = "Example:\n  pulse b2b sftp add-key --project P1 ~/.ssh/partner.pub")]
    AddKey {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
        /// The public key file.
        file: PathBuf,
    },
    /// Remove a key by its id (from `pulse b2b sftp keys`).
    #[command(after_help = "Example:\n  pulse b2b sftp remove-key --project P1 key-0123456789abcdef0")]
    RemoveKey {
        #[arg(long, allow_hyphen_values = true)]
        project: String,
        key: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct ApiCall {
    /// GET, POST, PUT, PATCH or DELETE.
    #[arg(value_parser = ["GET", "POST", "PUT", "PATCH", "DELETE", "get", "post", "put", "patch", "delete"])]
    pub method: String,
    /// The path, from /admin/ (with a query string if the route takes one).
    pub path: String,
    /// The request body, a YAML or JSON file (sent as JSON).
    #[arg(short, long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Users {
    /// Every console user with role and state.
    #[command(after_help = "Example:\n  pulse users list")]
    List,
    /// Invite someone: Cognito emails them a temporary password for their first sign-in.
    #[command(after_help = "Example:\n  pulse users invite colleague@example.com --role editor")]
    Invite {
        email: String,
        /// viewer (reads), editor (also changes projects, contacts, sends, reports) or admin (also plans, accounts, users).
        #[arg(long, default_value = "viewer", value_parser = ["viewer", "editor", "admin"])]
        role: String,
    },
    /// Give a user another role.
    #[command(after_help = "Example:\n  pulse users role colleague@example.com admin")]
    Role {
        /// The user's address (or username).
        user: String,
        #[arg(value_parser = ["viewer", "editor", "admin"])]
        role: String,
    },
    /// Stop a user signing in and end their sessions.
    #[command(after_help = "Example:\n  pulse users disable colleague@example.com")]
    Disable { user: String },
    /// Let a disabled user sign in again.
    #[command(after_help = "Example:\n  pulse users enable colleague@example.com")]
    Enable { user: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are URL-safe base64 and may start with `-`.
    #[test]
    fn ids_may_start_with_a_hyphen() {
        let cli = Cli::try_parse_from(["pulse", "--local", "budget", "--account", "-Abc"]).expect("parsed");
        assert!(matches!(cli.command, Command::Budget(Budget { account: Some(ref a), .. }) if a == "-Abc"));
        let cli = Cli::try_parse_from(["pulse", "--local", "projects", "show", "-P1"]).expect("parsed");
        assert!(matches!(cli.command, Command::Projects(Projects::Show { ref project }) if project == "-P1"));
        let cli = Cli::try_parse_from(["pulse", "--local", "distributions", "watch", "-D1", "--project", "-P1"]).expect("parsed");
        assert!(
            matches!(cli.command, Command::Distributions(Distributions::Watch { ref distribution, project: Some(ref p) }) if distribution == "-D1" && p == "-P1")
        );
    }

    #[test]
    fn every_command_has_an_example() {
        use clap::CommandFactory;
        fn walk(c: &clap::Command, path: &str) {
            for sub in c.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(help.contains("Example"), "`{name}` has no example in its --help");
                walk(sub, &name);
            }
        }
        walk(&Cli::command(), "pulse");
    }
}
