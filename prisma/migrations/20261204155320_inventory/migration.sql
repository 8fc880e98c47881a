-- CreateEnum
CREATE TYPE "NetworkPolicyEnforcement" AS ENUM ('enforced', 'not_enforced', 'unknown');

-- CreateTable
CREATE TABLE "cluster_inventories" (
    "cluster_id" UUID NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "truncated" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "namespace_count" INTEGER NOT NULL DEFAULT 0,
    "pod_count" INTEGER NOT NULL DEFAULT 0,
    "service_count" INTEGER NOT NULL DEFAULT 0,
    "snapshot" JSONB NOT NULL DEFAULT '{}',
    "server_version" TEXT,
    "enforcement" "NetworkPolicyEnforcement" NOT NULL DEFAULT 'unknown',
    "cni" TEXT,
    "cni_version" TEXT,
    "enforcement_reason" TEXT,
    "service_errors" JSONB NOT NULL DEFAULT '[]',
    "derived_hash" TEXT,
    "snapshot_observed_at" TIMESTAMPTZ(3),

    CONSTRAINT "cluster_inventories_pkey" PRIMARY KEY ("cluster_id")
);

-- CreateIndex
CREATE INDEX "cluster_inventories_enforcement_idx" ON "cluster_inventories"("enforcement");

-- AddForeignKey
ALTER TABLE "cluster_inventories" ADD CONSTRAINT "cluster_inventories_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
