# The JS libraries (Chart.js) come from the npm registry, installed from the lock file.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=dti_portal.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements.txt build-constraints.txt ./
RUN pip install --no-cache-dir pip==26.3 \
 && pip install --no-cache-dir --build-constraint build-constraints.txt -r requirements.txt
COPY . .
COPY --from=assets /assets/node_modules ./node_modules
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0
RUN useradd --create-home portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
# Workers, bind address, timeouts and the access log: gunicorn.conf.py.
CMD ["gunicorn", "dti_portal.wsgi:application"]
