-- AlterEnum
ALTER TYPE "RolloutTargetState" ADD VALUE 'superseded';
