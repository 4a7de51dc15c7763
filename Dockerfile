# Llais application image (for the authority's servers; see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY llais ./llais
COPY bot ./bot
COPY web ./web
COPY nlu ./nlu
COPY flows ./flows
COPY signposting ./signposting
COPY storage ./storage
COPY migrations ./migrations
RUN pip install --no-cache-dir . && useradd --create-home llais && mkdir -p /app/var && chown llais /app/var
USER llais
# Train the builtin NLU model at build time (never committed as a binary).
RUN llais nlu train
# one worker on its own: migrate, then serve (docker-compose.yml migrates once, then starts workers)
CMD ["sh", "-c", "llais db upgrade && llais serve"]
