//! Events of one run must be distinct: the same project given twice would let a
//! leave-one-event-out model train on its own test event, and two events with one name would
//! file results under the wrong event.

use super::Project;

/// Two projects of one run that clash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateEvent {
    /// Index of the first project of the pair.
    pub first: usize,
    /// Index of the second.
    pub second: usize,
    /// True when both are the same file; false when only the event names are equal.
    pub same_file: bool,
}

impl DuplicateEvent {
    /// The sentence for the user, naming both files and the event.
    pub fn message(&self, projects: &[&Project]) -> String {
        let (a, b) = (projects[self.first], projects[self.second]);
        if self.same_file {
            format!(
                "{} and {} are the same project (event '{}'): give each event once",
                a.path.display(),
                b.path.display(),
                a.file.event.name
            )
        } else {
            format!(
                "{} and {} both name their event '{}': rename one (`[event] name`) so results are not mixed up",
                a.path.display(),
                b.path.display(),
                a.file.event.name
            )
        }
    }
}

/// The first pair of projects that are the same file on disk (after resolving links and
/// `.`/`..`) or share an event name; `None` when all are distinct. Projects whose file does
/// not exist (built in memory) are compared by event name only.
pub fn find_duplicate_event(projects: &[&Project]) -> Option<DuplicateEvent> {
    let canon: Vec<_> = projects
        .iter()
        .map(|p| std::fs::canonicalize(&p.path).ok())
        .collect();
    for second in 0..projects.len() {
        for first in 0..second {
            let same_file = canon[first].is_some() && canon[first] == canon[second];
            if same_file || projects[first].file.event.name == projects[second].file.event.name {
                return Some(DuplicateEvent {
                    first,
                    second,
                    same_file,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn project(path: &Path, name: &str) -> Project {
        let text = format!("format_version = 1\n[event]\nname = \"{name}\"\ndate = \"2015-04-25\"\n[inputs]\ndem = {{ path = \"dem.tif\" }}\n");
        Project::from_toml(&text, path).unwrap()
    }

    #[test]
    fn the_same_file_twice_and_two_equal_names_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let a_path = dir.path().join("a.toml");
        std::fs::write(&a_path, "").unwrap();
        let (a, b, c) = (
            project(&a_path, "Gorkha"),
            project(Path::new("/x/b.toml"), "Wenchuan"),
            project(Path::new("/x/c.toml"), "Gorkha"),
        );
        assert_eq!(find_duplicate_event(&[&a, &b]), None);
        let a_again = project(&dir.path().join(".").join("a.toml"), "Gorkha");
        let d = find_duplicate_event(&[&a, &b, &a_again]).unwrap();
        assert!(d.same_file);
        let d = find_duplicate_event(&[&a, &b, &c]).unwrap();
        assert!(!d.same_file);
        let m = d.message(&[&a, &b, &c]);
        assert!(
            m.contains("a.toml") && m.contains("/x/c.toml") && m.contains("Gorkha"),
            "{m}"
        );
        // in-memory projects at one path are distinct by name
        let (m1, m2) = (
            project(Path::new("/tmp/none/p.toml"), "A"),
            project(Path::new("/tmp/none/p.toml"), "B"),
        );
        assert_eq!(find_duplicate_event(&[&m1, &m2]), None);
    }
}
