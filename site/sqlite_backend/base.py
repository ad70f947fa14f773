"""SQLite for the embedded default, with writers queued on a file lock.

SQLite allows one writer at a time. A writer that finds the database locked polls, sleeping up to
100 ms between tries, so under a burst (inbound texts from many phones, several gunicorn workers) the
lock often sits free while every waiter sleeps. Here each transaction first takes an exclusive
`flock` on `<database>.write-lock`: the kernel queues the waiters and wakes the next one the moment
the lock is released. BEGIN IMMEDIATE then finds SQLite free. In-memory databases (tests) skip it.
PostgreSQL, for production, needs none of this.
"""

import fcntl

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_file = None
    _holds_write_lock = False

    def _write_lock_path(self):
        name = str(self.settings_dict["NAME"] or "")
        if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            return None
        return f"{name}.write-lock"

    def _start_transaction_under_autocommit(self):
        path = self._write_lock_path()
        if path is not None:
            if self._write_lock_file is None:
                self._write_lock_file = open(path, "a")
            fcntl.flock(self._write_lock_file, fcntl.LOCK_EX)
            self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self):
        if self._holds_write_lock:
            fcntl.flock(self._write_lock_file, fcntl.LOCK_UN)
            self._holds_write_lock = False

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_file is not None:
                self._write_lock_file.close()
                self._write_lock_file = None
