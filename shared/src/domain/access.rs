//! Who may do what through the admin API: three roles, each allowing what
//! the weaker ones allow. Every admin route requires one; machine callers
//! (IAM when deployed, the API key locally) act as [`Role::Admin`], a
//! signed-in console user as the strongest role among their groups.

/// A caller's role, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads projects, contacts, distributions, reports, plans and accounts.
    Viewer,
    /// Also changes projects, contacts, distributions and reports.
    Editor,
    /// Also manages plans and accounts and sends test email.
    Admin,
}

impl Role {
    /// Every role, weakest first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

    /// The role's name (as in a group name and in the OpenAPI document).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// The role named `name` (exactly, ignoring case and surrounding space).
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether a caller with this role may use a route requiring `required`.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }

    /// The strongest role among a user's group names; names that are not a
    /// role are ignored, no role among them is `None`.
    pub fn strongest<'a>(groups: impl IntoIterator<Item = &'a str>) -> Option<Role> {
        groups.into_iter().filter_map(Role::parse).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_allows_itself_and_the_weaker_ones_only() {
        assert!(Role::Viewer.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Editor));
        assert!(!Role::Viewer.allows(Role::Admin));
        assert!(Role::Editor.allows(Role::Viewer));
        assert!(Role::Editor.allows(Role::Editor));
        assert!(!Role::Editor.allows(Role::Admin));
        for required in Role::ALL {
            assert!(Role::Admin.allows(required), "admin allows {required:?}");
        }
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_no_role() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse(" Editor "), Some(Role::Editor));
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn the_strongest_group_wins_and_other_groups_are_ignored() {
        assert_eq!(Role::strongest(["viewer", "staff", "editor"]), Some(Role::Editor));
        assert_eq!(Role::strongest(["admin", "viewer"]), Some(Role::Admin));
        assert_eq!(Role::strongest(["staff"]), None);
        assert_eq!(Role::strongest([]), None);
    }
}
