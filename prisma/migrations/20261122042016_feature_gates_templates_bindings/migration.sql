-- CreateEnum
CREATE TYPE "GateValueSource" AS ENUM ('explicit', 'seedTemplate');

-- CreateEnum
CREATE TYPE "DriftMode" AS ENUM ('enforce', 'inform');

-- CreateTable
CREATE TABLE "feature_gates" (
    "key" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "default_value" BOOLEAN NOT NULL,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feature_gates_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "cluster_feature_gates" (
    "cluster_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "source" "GateValueSource" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rollout_id" TEXT,

    CONSTRAINT "cluster_feature_gates_pkey" PRIMARY KEY ("cluster_id","key")
);

-- CreateTable
CREATE TABLE "seed_defaulting_templates" (
    "seed_id" UUID NOT NULL,
    "feature_gates" JSONB NOT NULL DEFAULT '{}',
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "seed_defaulting_templates_pkey" PRIMARY KEY ("seed_id")
);

-- CreateTable
CREATE TABLE "policy_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "pack" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_template_versions" (
    "id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '[]',
    "changelog" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_template_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_bindings" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "template_version_id" UUID NOT NULL,
    "cluster_selector" TEXT NOT NULL DEFAULT '',
    "cluster_role" "ClusterRole",
    "placement" JSONB NOT NULL,
    "gate_key" TEXT,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "drift_mode" "DriftMode" NOT NULL DEFAULT 'enforce',
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assigned_policies" (
    "id" UUID NOT NULL,
    "cluster_id" UUID NOT NULL,
    "target_key" TEXT NOT NULL,
    "target_cluster_name" TEXT NOT NULL,
    "namespace" TEXT,
    "namespace_rule" JSONB,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "binding_name" TEXT NOT NULL,
    "template_name" TEXT NOT NULL,
    "template_version_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "gate_key" TEXT,
    "rollout_id" TEXT,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "assigned_policies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cluster_feature_gates_key_enabled_idx" ON "cluster_feature_gates"("key", "enabled");

-- CreateIndex
CREATE UNIQUE INDEX "policy_templates_name_key" ON "policy_templates"("name");

-- CreateIndex
CREATE UNIQUE INDEX "policy_template_versions_template_id_version_key" ON "policy_template_versions"("template_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "policy_bindings_name_key" ON "policy_bindings"("name");

-- CreateIndex
CREATE INDEX "policy_bindings_template_version_id_idx" ON "policy_bindings"("template_version_id");

-- CreateIndex
CREATE INDEX "assigned_policies_template_version_id_idx" ON "assigned_policies"("template_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "assigned_policies_cluster_id_target_key_key" ON "assigned_policies"("cluster_id", "target_key");

-- AddForeignKey
ALTER TABLE "cluster_feature_gates" ADD CONSTRAINT "cluster_feature_gates_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster_feature_gates" ADD CONSTRAINT "cluster_feature_gates_key_fkey" FOREIGN KEY ("key") REFERENCES "feature_gates"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seed_defaulting_templates" ADD CONSTRAINT "seed_defaulting_templates_seed_id_fkey" FOREIGN KEY ("seed_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_template_versions" ADD CONSTRAINT "policy_template_versions_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "policy_templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_bindings" ADD CONSTRAINT "policy_bindings_template_version_id_fkey" FOREIGN KEY ("template_version_id") REFERENCES "policy_template_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_bindings" ADD CONSTRAINT "policy_bindings_gate_key_fkey" FOREIGN KEY ("gate_key") REFERENCES "feature_gates"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assigned_policies" ADD CONSTRAINT "assigned_policies_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assigned_policies" ADD CONSTRAINT "assigned_policies_template_version_id_fkey" FOREIGN KEY ("template_version_id") REFERENCES "policy_template_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
