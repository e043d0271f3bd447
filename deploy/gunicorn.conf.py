"""
gunicorn in production: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

nginx in front terminates HTTPS and sets X-Forwarded-Proto; set
DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO so Django trusts it.
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
# Only nginx on this machine may claim the request came over HTTPS.
forwarded_allow_ips = "127.0.0.1,::1"
# The portal logs every request as a JSON line itself (portal.request);
# gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
