FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY commands commands
COPY events events
COPY aggregates aggregates
COPY projections projections
COPY api api
COPY schedulers schedulers
COPY runtime runtime
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["vcio", "serve", "--host", "0.0.0.0", "--port", "8000"]
