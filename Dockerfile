# The production image: the whole vcio-ledger package, dependencies pinned by requirements.lock,
# run as an unprivileged user. It has no embedded PostgreSQL: set VCIO_DATABASE_URL (compose does).
# The package directories copied below are exactly the ones tests/integration/test_image_files.py
# builds a wheel from and starts; keep the two in step.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock ./
COPY pyproject.toml README.md ./
COPY aggregates aggregates
COPY api api
COPY commands commands
COPY events events
COPY library_io library_io
COPY projections projections
COPY runtime runtime
COPY schedulers schedulers
COPY streaming streaming
COPY web web
RUN pip install --constraint requirements.lock . \
    && useradd --system --uid 10001 --no-create-home --home-dir /app vcio

USER vcio
EXPOSE 8000
CMD ["vcio", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-scheduler"]
