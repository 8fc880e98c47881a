-- CreateEnum
CREATE TYPE "DriftKind" AS ENUM ('missing', 'modified', 'unexpected', 'conflict');

-- CreateEnum
CREATE TYPE "DriftStatus" AS ENUM ('open', 'contested', 'resolved');

-- CreateEnum
CREATE TYPE "DriftScanStatus" AS ENUM ('queued', 'running', 'succeeded', 'unreachable', 'failed');

-- CreateTable
CREATE TABLE "drift_findings" (
    "id" UUID NOT NULL,
    "cluster_id" UUID NOT NULL,
    "object_key" TEXT NOT NULL,
    "kind" "DriftKind" NOT NULL,
    "status" "DriftStatus" NOT NULL DEFAULT 'open',
    "target_cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "diff" JSONB NOT NULL DEFAULT '[]',
    "changed_by" TEXT,
    "binding_name" TEXT,
    "template_name" TEXT,
    "assigned_key" TEXT,
    "assigned_hash" TEXT,
    "drift_mode" "DriftMode",
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "resolution" TEXT,
    "repair_requested_at" TIMESTAMPTZ(3),
    "repair_rollout_id" TEXT,
    "contested_at" TIMESTAMPTZ(3),
    "last_scan_id" UUID,

    CONSTRAINT "drift_findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_scans" (
    "id" UUID NOT NULL,
    "cluster_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "status" "DriftScanStatus" NOT NULL DEFAULT 'queued',
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "findings" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "drift_scans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_repairs" (
    "id" BIGSERIAL NOT NULL,
    "cluster_id" UUID NOT NULL,
    "object_key" TEXT NOT NULL,
    "finding_id" UUID NOT NULL,
    "rollout_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_repairs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_drift_states" (
    "cluster_id" UUID NOT NULL,
    "last_scan_at" TIMESTAMPTZ(3) NOT NULL,
    "last_scan_status" "DriftScanStatus" NOT NULL,
    "last_success_at" TIMESTAMPTZ(3),
    "open_findings" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "cluster_drift_states_pkey" PRIMARY KEY ("cluster_id")
);

-- CreateIndex
CREATE INDEX "drift_findings_cluster_id_status_idx" ON "drift_findings"("cluster_id", "status");

-- CreateIndex
CREATE INDEX "drift_findings_status_kind_first_seen_at_idx" ON "drift_findings"("status", "kind", "first_seen_at");

-- CreateIndex
CREATE INDEX "drift_findings_cluster_id_object_key_idx" ON "drift_findings"("cluster_id", "object_key");

-- CreateIndex
CREATE INDEX "drift_scans_cluster_id_queued_at_idx" ON "drift_scans"("cluster_id", "queued_at");

-- CreateIndex
CREATE INDEX "drift_repairs_cluster_id_object_key_at_idx" ON "drift_repairs"("cluster_id", "object_key", "at");

-- AddForeignKey
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drift_scans" ADD CONSTRAINT "drift_scans_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster_drift_states" ADD CONSTRAINT "cluster_drift_states_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
