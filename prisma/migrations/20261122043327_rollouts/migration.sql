-- CreateEnum
CREATE TYPE "RolloutKind" AS ENUM ('gate', 'binding', 'rollback', 'repair', 'sync');

-- CreateEnum
CREATE TYPE "RolloutStatus" AS ENUM ('pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "RolloutTargetState" AS ENUM ('pending', 'queued', 'running', 'succeeded', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "kind" "RolloutKind" NOT NULL,
    "status" "RolloutStatus" NOT NULL DEFAULT 'pending',
    "change" JSONB NOT NULL,
    "selection" JSONB NOT NULL DEFAULT '{}',
    "strategy" JSONB NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "current_wave" INTEGER NOT NULL DEFAULT 0,
    "wave_count" INTEGER NOT NULL,
    "awaiting_approval" BOOLEAN NOT NULL DEFAULT false,
    "next_wave_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "rollback_of_id" UUID,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_targets" (
    "id" UUID NOT NULL,
    "rollout_id" UUID NOT NULL,
    "rollout_seq" BIGINT NOT NULL,
    "cluster_id" UUID NOT NULL,
    "cluster_name" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "state" "RolloutTargetState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "configured" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "pruned" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "error" TEXT,
    "error_kind" TEXT,
    "before" JSONB,
    "objects" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_targets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_seq_key" ON "rollouts"("seq");

-- CreateIndex
CREATE INDEX "rollouts_status_seq_idx" ON "rollouts"("status", "seq");

-- CreateIndex
CREATE INDEX "rollouts_kind_seq_idx" ON "rollouts"("kind", "seq");

-- CreateIndex
CREATE INDEX "rollout_targets_cluster_id_rollout_seq_idx" ON "rollout_targets"("cluster_id", "rollout_seq");

-- CreateIndex
CREATE INDEX "rollout_targets_rollout_id_wave_state_idx" ON "rollout_targets"("rollout_id", "wave", "state");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_targets_rollout_id_cluster_id_key" ON "rollout_targets"("rollout_id", "cluster_id");

-- AddForeignKey
ALTER TABLE "rollout_targets" ADD CONSTRAINT "rollout_targets_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
