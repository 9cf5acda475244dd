"""Private nginx and Apache instances on loopback serving a release with the configuration that
publish writes into it (``nginx.conf``, ``.htaccess``): generated main configuration files,
free ports, logs and PID files in a temporary folder; each stopped by its PID and waited for."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx

from akke_graph.oxigraph_server import free_port
from tests.loopback import HTTP


def find(name: str) -> str | None:
    return shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name,) if p.is_file()), None)


NGINX, APACHE = find("nginx"), find("apache2")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
MISSING = ("nginx and Apache are not installed (Debian packages nginx, apache2): "
           "bash .ci/webservers.sh installs them")
AS_ROOT = os.geteuid() == 0
WORKER_USER = "www-data"


def web_root(release: Path, folder: Path, base_path: str) -> Path:
    """A document root holding the release at ``base_path``, readable by the servers' workers
    (which run as www-data when the tests run as root)."""
    root = folder / "htdocs"
    target = root / base_path.strip("/") if base_path.strip("/") else root
    shutil.copytree(release, target)
    for path in [folder, *root.rglob("*"), root]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


class WebServer:
    """One server process in the foreground of a subprocess."""

    name = ""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder, self.root = folder, root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> WebServer:
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                        stderr=(self.folder / "stderr.log").open("wb"),
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.errors()}")
            try:
                HTTP.get(self.url + "/", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within 30 s: {self.errors()}")

    def errors(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Nginx(WebServer):
    name = "nginx"

    def __init__(self, folder: Path, root: Path, release_conf: Path) -> None:
        super().__init__(folder, root)
        text = release_conf.read_text(encoding="utf-8")
        http_part, server_part = text.split("# --- server context ---", 1)
        shutil.copy("/etc/nginx/mime.types", folder / "mime.types")
        temp = folder / "temp"
        temp.mkdir()
        temp.chmod(0o777)
        (folder / "nginx.conf").write_text(f"""
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
{f"user {WORKER_USER};" if AS_ROOT else ""}
events {{ worker_connections 64; }}
http {{
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{http_part}
    server {{
        listen 127.0.0.1:{self.port};
        root {root};
{server_part}
    }}
}}
""", encoding="utf-8")

    def command(self) -> list[str]:
        assert NGINX
        return [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                "-e", str(self.folder / "error.log")]


class Apache(WebServer):
    name = "apache"
    MODULES = ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias",
               "unixd", "log_config")

    def __init__(self, folder: Path, root: Path) -> None:
        super().__init__(folder, root)
        modules = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so"
                            for m in self.MODULES if (APACHE_MODULES / f"mod_{m}.so").is_file())
        (folder / "apache2.conf").write_text(f"""
ServerRoot {folder}
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
PidFile {folder}/apache.pid
DefaultRuntimeDir {folder}
ErrorLog {folder}/error.log
LogLevel warn
{modules}
{f"User {WORKER_USER}" if AS_ROOT else ""}
{f"Group {WORKER_USER}" if AS_ROOT else ""}
TypesConfig /etc/mime.types
DocumentRoot {root}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {root}>
    AllowOverride All
    Require all granted
</Directory>
""", encoding="utf-8")

    def command(self) -> list[str]:
        assert APACHE
        return [APACHE, "-d", str(self.folder), "-f", str(self.folder / "apache2.conf"),
                "-DFOREGROUND"]
