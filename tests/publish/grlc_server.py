"""Runs grlc's own web application (``grlc.server.app``, the app its ``grlc-server`` script
serves with gunicorn) on 127.0.0.1 and a free port, under grlc's own Python (its venv): the test
starts ``<grlc python> grlc_server.py WORKDIR``, reads the port from its ``PORT n`` line,
and stops the process by its PID. grlc reads ``config.ini`` from the working directory."""

import os
import sys

if __name__ == "__main__":
    os.chdir(sys.argv[1])                  # before grlc.static reads config.ini
    from werkzeug.serving import make_server

    from grlc.server import app

    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()
