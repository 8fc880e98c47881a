-- AlterEnum
ALTER TYPE "RolloutTargetState" ADD VALUE 'superseded';

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "policy_bindings" ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true;
