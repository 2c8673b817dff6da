# One image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

# WeasyPrint's system libraries (HarfBuzz's subsetter keeps font subsetting fast) and fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no secrets or services.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

RUN useradd --create-home --uid 10001 clinic && mkdir -p /app/var && chown clinic /app/var
USER clinic

EXPOSE 8000
# config/gunicorn.py: 3 workers on :8000, access and error logs on stdout with tokens masked.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
