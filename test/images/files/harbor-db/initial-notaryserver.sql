-- Harbor v2.8.6 make/photon/db/initial-notaryserver.sql (harbor-db runs it once, at initdb):
CREATE DATABASE notaryserver;
CREATE USER server;
alter user server with encrypted password 'password';
GRANT ALL PRIVILEGES ON DATABASE notaryserver TO server;
-- Not in Harbor's file: Harbor's harbor-db is PostgreSQL 13, where PUBLIC may create in schema
-- public. From PostgreSQL 15 it may not, and the database stays owned by postgres, so Notary's
-- migrations run as server would fail with "permission denied for schema public" without this.
\c notaryserver
GRANT ALL ON SCHEMA public TO server;
