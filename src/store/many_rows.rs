//! Many rows to one `INSERT`: a statement per row opens a cursor, seeks down the B-tree
//! and closes it again for each row, which is most of the cost of writing a large table;
//! one statement of many rows does that once. Used where imports write hundreds of
//! thousands of rows (orders and their lines, the bundled exchange rates).

use rusqlite::ToSql;

/// `{insert} (columns) VALUES (?, …), …`: `rows` rows of as many parameters as `columns`
/// names; `insert` is the statement's head ("INSERT INTO orders", "INSERT OR IGNORE INTO
/// fx_rates").
pub fn insert_sql(insert: &str, columns: &str, rows: usize) -> String {
    let values = columns.split(',').count();
    let row = format!("({})", vec!["?"; values].join(", "));
    format!("{insert} ({columns}) VALUES {}", vec![row; rows].join(", "))
}

/// Binds a statement's parameters one after another, then runs it.
pub struct Binder<'s, 'c> {
    statement: &'s mut rusqlite::Statement<'c>,
    bound: usize,
}

impl<'s, 'c> Binder<'s, 'c> {
    pub fn new(statement: &'s mut rusqlite::Statement<'c>) -> Binder<'s, 'c> {
        Binder {
            statement,
            bound: 0,
        }
    }

    pub fn bind<T: ToSql>(&mut self, value: T) -> rusqlite::Result<()> {
        self.bound += 1;
        self.statement.raw_bind_parameter(self.bound, value)
    }

    /// Runs the statement with what was bound: the rows it changed.
    pub fn execute(self) -> rusqlite::Result<usize> {
        self.statement.raw_execute()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_bound_in_order_land_as_rows() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE pairs (a INTEGER, b TEXT)")
            .unwrap();
        let sql = insert_sql("INSERT INTO pairs", "a, b", 3);
        assert_eq!(
            sql,
            "INSERT INTO pairs (a, b) VALUES (?, ?), (?, ?), (?, ?)"
        );
        let mut statement = conn.prepare(&sql).unwrap();
        let mut rows = Binder::new(&mut statement);
        for (a, b) in [(1, "one"), (2, "two"), (3, "three")] {
            rows.bind(a).unwrap();
            rows.bind(b).unwrap();
        }
        assert_eq!(rows.execute().unwrap(), 3);
        let written: Vec<(i64, String)> = conn
            .prepare("SELECT a, b FROM pairs ORDER BY a")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            written,
            [(1, "one".into()), (2, "two".into()), (3, "three".into())]
        );
    }
}
