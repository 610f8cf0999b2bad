-- the database pftrainer made before profiles (schema 1, PRAGMA user_version = 1)
CREATE TABLE IF NOT EXISTS profile (
    day TEXT PRIMARY KEY,
    max_drop_kpa REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    program TEXT NOT NULL,
    persona TEXT,
    completed INTEGER NOT NULL DEFAULT 0,
    duration_s REAL,
    summary_json TEXT,
    recording TEXT
);
CREATE TABLE IF NOT EXISTS rep (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id),
    series INTEGER NOT NULL,
    rep INTEGER NOT NULL,
    contraction_score REAL,
    relaxation_score REAL,
    detail_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id),
    kind TEXT NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL,
    detected_at_s REAL NOT NULL,
    metrics_json TEXT NOT NULL
);
