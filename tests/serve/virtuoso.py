"""A private Virtuoso Open Source instance for the interoperability tests: its own database
folder, a generated virtuoso.ini, free loopback ports for ISQL and HTTP, stopped by its PID."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from akke_graph.oxigraph_server import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql-v")
MISSING = ("Virtuoso Open Source is not installed (no virtuoso-t or isql-vt on PATH); "
           ".ci/virtuoso.sh installs it from Debian's virtuoso-opensource package")
DBA_PASSWORD = "dba"  # a fresh database's default; the instance listens on loopback only

INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {d}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http}
ServerRoot           = {d}/vsp
MaxClientConnections = 8
ServerThreads        = 8
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 60
"""

# Let the anonymous SPARQL user update (SPARQL Update through /sparql) and anyone write through
# the Graph Store Protocol at /sparql-graph-crud; the -auth endpoints need the dba's password.
GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL";', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int = 0
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def start(self, wait_s: float = 120.0) -> "Virtuoso":
        assert VIRTUOSO and ISQL, MISSING
        self.sql_port = self.sql_port or free_port()
        self.http_port = self.http_port or free_port()
        (self.folder / "vsp").mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(d=self.folder, sql=self.sql_port, http=self.http_port))
        self.process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)],
                                        cwd=self.folder, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited at start:\n{log}")
            try:
                with urllib.request.urlopen(self.sparql + "?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError(f"Virtuoso did not answer on {self.sparql} within {wait_s:.0f} s")
        for statement in GRANTS:
            self.isql(statement)
        return self

    def isql(self, sql: str) -> str:
        result = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", DBA_PASSWORD,
                                 f"exec={sql}"], capture_output=True, text=True, timeout=60)
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql {sql!r} failed: {result.stdout}{result.stderr}")
        return result.stdout

    def stop(self, grace_s: float = 30.0) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
