# xent dashboard image: docker build -t xent . && docker run --rm -p 8501:8501 xent
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app

# Dependencies first, so the layer is reused while only the code changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The app (.dockerignore keeps tests, tooling and caches out), owned by root and read-only to
# the unprivileged user that runs it.
COPY . .
RUN useradd --create-home --uid 10001 xent
USER xent

EXPOSE 8501

# slim has no curl: ask Streamlit's health endpoint with Python's urllib (non-2xx or no answer
# raises, so the exit status is 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

# The stock command, as in `make run` and on Community Cloud: .streamlit/config.toml already
# sets headless, no usage stats and the speed settings (runner.postScriptGC off), and
# requirements.txt brings uvloop, so this is exactly the configuration measured in
# benchmarks/RESULTS.md. Listen on all interfaces inside the container.
CMD ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
