"""
gunicorn in production: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

nginx in front terminates HTTPS and sets X-Forwarded-Proto; set
DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO so Django trusts it.
Django then believes that header from whoever can connect: keep GUNICORN_BIND
on the loopback address, where only nginx on this machine reaches gunicorn.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests, so slow leaks cannot grow.
max_requests = 2000
max_requests_jitter = 200
# gunicorn's own use of X-Forwarded-* (not Django's, see above): nginx only.
forwarded_allow_ips = "127.0.0.1,::1"
# systemd starts, reloads and stops it: no control socket in the home folder.
control_socket_disable = True
# The portal logs every request as a JSON line itself (portal.request);
# gunicorn's own messages go to stderr (those of its request handling go
# through Django's logging, as JSON lines on stdout).
accesslog = None
errorlog = "-"
