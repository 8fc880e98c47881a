-- CreateEnum
CREATE TYPE "ClusterRole" AS ENUM ('seed', 'user');

-- CreateEnum
CREATE TYPE "HealthStatus" AS ENUM ('unknown', 'healthy', 'unreachable', 'timeout', 'unauthorized', 'forbidden', 'tls_error', 'error');

-- CreateEnum
CREATE TYPE "TokenRole" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('in_flight', 'completed');

-- CreateTable
CREATE TABLE "clusters" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ClusterRole" NOT NULL,
    "seed_id" UUID,
    "control_plane_namespace" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "pods_cidr" TEXT,
    "services_cidr" TEXT,
    "nodes_cidr" TEXT,
    "blocked_cidrs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "server" TEXT NOT NULL,
    "insecure_skip_tls_verify" BOOLEAN NOT NULL DEFAULT false,
    "credential_ciphertext" TEXT NOT NULL,
    "credential_key_id" TEXT NOT NULL,
    "credential_fingerprint" TEXT NOT NULL,
    "health_status" "HealthStatus" NOT NULL DEFAULT 'unknown',
    "kubernetes_version" TEXT,
    "latency_ms" INTEGER,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "TokenRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "state" "IdempotencyState" NOT NULL DEFAULT 'in_flight',
    "response_status" INTEGER,
    "response_ciphertext" TEXT,
    "response_key_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_name_key" ON "clusters"("name");

-- CreateIndex
CREATE INDEX "clusters_seed_id_idx" ON "clusters"("seed_id");

-- CreateIndex
CREATE INDEX "clusters_role_idx" ON "clusters"("role");

-- CreateIndex
CREATE INDEX "clusters_credential_key_id_idx" ON "clusters"("credential_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_name_key" ON "api_tokens"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "audit_events_subject_id_idx" ON "audit_events"("subject", "id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor", "id");

-- CreateIndex
CREATE INDEX "idempotency_records_expires_at_idx" ON "idempotency_records"("expires_at");

-- CreateIndex
CREATE INDEX "idempotency_records_response_key_id_idx" ON "idempotency_records"("response_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_records_scope_key_key" ON "idempotency_records"("scope", "key");

-- AddForeignKey
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_seed_id_fkey" FOREIGN KEY ("seed_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
