-- Harbor v2.8.6 make/photon/db/initial-notarysigner.sql (harbor-db runs it once, at initdb):
CREATE DATABASE notarysigner;
CREATE USER signer;
alter user signer with encrypted password 'password';
GRANT ALL PRIVILEGES ON DATABASE notarysigner TO signer;
-- Not in Harbor's file: Harbor's harbor-db is PostgreSQL 13, where PUBLIC may create in schema
-- public. From PostgreSQL 15 it may not, and the database stays owned by postgres, so Notary's
-- migrations run as signer would fail with "permission denied for schema public" without this.
\c notarysigner
GRANT ALL ON SCHEMA public TO signer;
