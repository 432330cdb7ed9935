-- CreateEnum
CREATE TYPE "membership_role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');

-- CreateEnum
CREATE TYPE "dataset_status" AS ENUM ('PENDING', 'INGESTING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "image_set_status" AS ENUM ('PENDING', 'BUILDING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "run_kind" AS ENUM ('FINETUNE', 'EVALUATE', 'EXPLAIN');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "split" AS ENUM ('TRAIN', 'VALIDATION', 'TEST');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "collaborations" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "collaborations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "role" "membership_role" NOT NULL DEFAULT 'MEMBER',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "dataset_status" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "processes" TEXT[],
    "jet_count" INTEGER NOT NULL DEFAULT 0,
    "jet_counts" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_files" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "process_name" TEXT NOT NULL,
    "tree_name" TEXT NOT NULL DEFAULT 'tree',
    "entries" INTEGER NOT NULL,
    "compression" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image_configs" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "name" TEXT,
    "options" JSONB NOT NULL,
    "transform" JSONB NOT NULL,
    "config_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "image_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image_sets" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "image_config_id" UUID NOT NULL,
    "jets_per_image" INTEGER NOT NULL DEFAULT 1,
    "count" INTEGER NOT NULL DEFAULT 0,
    "status" "image_set_status" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "image_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "owner_id" UUID,
    "name" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "checkpoint_files" JSONB NOT NULL DEFAULT '[]',
    "checkpoint_sha256" TEXT,
    "source" TEXT,
    "parent_model_id" UUID,
    "produced_by_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "kind" "run_kind" NOT NULL,
    "status" "run_status" NOT NULL DEFAULT 'QUEUED',
    "name" TEXT,
    "config" JSONB NOT NULL,
    "config_hash" TEXT NOT NULL,
    "code_version" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "metrics" JSONB,
    "protocol" JSONB,
    "dataset_id" UUID,
    "image_set_id" UUID,
    "model_id" UUID,
    "parent_run_id" UUID,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_shards" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "status" "run_status" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_shards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "predictions" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "dataset_file_id" UUID NOT NULL,
    "entry" INTEGER NOT NULL,
    "label" INTEGER NOT NULL,
    "predicted_class" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "probabilities" DOUBLE PRECISION[],
    "split" "split" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "predictions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attention_maps" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "dataset_file_id" UUID NOT NULL,
    "entry" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "options_hash" TEXT NOT NULL,
    "grid_rows" INTEGER NOT NULL,
    "grid_cols" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attention_maps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roi_annotations" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "dataset_file_id" UUID NOT NULL,
    "entry" INTEGER NOT NULL,
    "attention_map_id" UUID,
    "prong_index" INTEGER,
    "centre_deta" DOUBLE PRECISION,
    "centre_dphi" DOUBLE PRECISION,
    "radius" DOUBLE PRECISION,
    "attention_fraction" DOUBLE PRECISION NOT NULL,
    "mean_attention" DOUBLE PRECISION NOT NULL,
    "area_fraction" DOUBLE PRECISION NOT NULL,
    "enrichment" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roi_annotations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "collaboration_id" UUID,
    "kind" TEXT NOT NULL,
    "status" "job_status" NOT NULL DEFAULT 'QUEUED',
    "payload" JSONB NOT NULL DEFAULT '{}',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "logs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "error" TEXT,
    "run_id" UUID,
    "run_shard_id" UUID,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "collaborations_slug_key" ON "collaborations"("slug");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_collaboration_id_user_id_key" ON "memberships"("collaboration_id", "user_id");

-- CreateIndex
CREATE INDEX "datasets_owner_id_idx" ON "datasets"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_collaboration_id_name_key" ON "datasets"("collaboration_id", "name");

-- CreateIndex
CREATE INDEX "dataset_files_dataset_id_idx" ON "dataset_files"("dataset_id");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_files_collaboration_id_sha256_key" ON "dataset_files"("collaboration_id", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "image_configs_collaboration_id_config_hash_key" ON "image_configs"("collaboration_id", "config_hash");

-- CreateIndex
CREATE INDEX "image_sets_image_config_id_idx" ON "image_sets"("image_config_id");

-- CreateIndex
CREATE UNIQUE INDEX "image_sets_dataset_id_image_config_id_jets_per_image_key" ON "image_sets"("dataset_id", "image_config_id", "jets_per_image");

-- CreateIndex
CREATE UNIQUE INDEX "models_produced_by_run_id_key" ON "models"("produced_by_run_id");

-- CreateIndex
CREATE INDEX "models_parent_model_id_idx" ON "models"("parent_model_id");

-- CreateIndex
CREATE UNIQUE INDEX "models_collaboration_id_name_key" ON "models"("collaboration_id", "name");

-- CreateIndex
CREATE INDEX "runs_collaboration_id_kind_status_idx" ON "runs"("collaboration_id", "kind", "status");

-- CreateIndex
CREATE INDEX "runs_collaboration_id_config_hash_idx" ON "runs"("collaboration_id", "config_hash");

-- CreateIndex
CREATE INDEX "runs_owner_id_idx" ON "runs"("owner_id");

-- CreateIndex
CREATE INDEX "runs_dataset_id_idx" ON "runs"("dataset_id");

-- CreateIndex
CREATE INDEX "runs_model_id_idx" ON "runs"("model_id");

-- CreateIndex
CREATE INDEX "runs_parent_run_id_idx" ON "runs"("parent_run_id");

-- CreateIndex
CREATE INDEX "run_shards_run_id_status_idx" ON "run_shards"("run_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "run_shards_run_id_index_key" ON "run_shards"("run_id", "index");

-- CreateIndex
CREATE INDEX "predictions_dataset_file_id_entry_idx" ON "predictions"("dataset_file_id", "entry");

-- CreateIndex
CREATE INDEX "predictions_run_id_label_correct_idx" ON "predictions"("run_id", "label", "correct");

-- CreateIndex
CREATE UNIQUE INDEX "predictions_run_id_dataset_file_id_entry_key" ON "predictions"("run_id", "dataset_file_id", "entry");

-- CreateIndex
CREATE INDEX "attention_maps_dataset_file_id_entry_idx" ON "attention_maps"("dataset_file_id", "entry");

-- CreateIndex
CREATE UNIQUE INDEX "attention_maps_run_id_dataset_file_id_entry_kind_key" ON "attention_maps"("run_id", "dataset_file_id", "entry", "kind");

-- CreateIndex
CREATE INDEX "roi_annotations_run_id_dataset_file_id_entry_idx" ON "roi_annotations"("run_id", "dataset_file_id", "entry");

-- CreateIndex
CREATE INDEX "roi_annotations_attention_map_id_idx" ON "roi_annotations"("attention_map_id");

-- CreateIndex
CREATE INDEX "jobs_status_run_after_idx" ON "jobs"("status", "run_after");

-- CreateIndex
CREATE INDEX "jobs_run_id_idx" ON "jobs"("run_id");

-- CreateIndex
CREATE INDEX "jobs_run_shard_id_idx" ON "jobs"("run_shard_id");

-- CreateIndex
CREATE INDEX "jobs_collaboration_id_idx" ON "jobs"("collaboration_id");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_files" ADD CONSTRAINT "dataset_files_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_files" ADD CONSTRAINT "dataset_files_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_configs" ADD CONSTRAINT "image_configs_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_sets" ADD CONSTRAINT "image_sets_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_sets" ADD CONSTRAINT "image_sets_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_sets" ADD CONSTRAINT "image_sets_image_config_id_fkey" FOREIGN KEY ("image_config_id") REFERENCES "image_configs"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_parent_model_id_fkey" FOREIGN KEY ("parent_model_id") REFERENCES "models"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_produced_by_run_id_fkey" FOREIGN KEY ("produced_by_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_image_set_id_fkey" FOREIGN KEY ("image_set_id") REFERENCES "image_sets"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_shards" ADD CONSTRAINT "run_shards_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_shards" ADD CONSTRAINT "run_shards_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_dataset_file_id_fkey" FOREIGN KEY ("dataset_file_id") REFERENCES "dataset_files"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_maps" ADD CONSTRAINT "attention_maps_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_maps" ADD CONSTRAINT "attention_maps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_maps" ADD CONSTRAINT "attention_maps_dataset_file_id_fkey" FOREIGN KEY ("dataset_file_id") REFERENCES "dataset_files"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roi_annotations" ADD CONSTRAINT "roi_annotations_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roi_annotations" ADD CONSTRAINT "roi_annotations_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roi_annotations" ADD CONSTRAINT "roi_annotations_dataset_file_id_fkey" FOREIGN KEY ("dataset_file_id") REFERENCES "dataset_files"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roi_annotations" ADD CONSTRAINT "roi_annotations_attention_map_id_fkey" FOREIGN KEY ("attention_map_id") REFERENCES "attention_maps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_collaboration_id_fkey" FOREIGN KEY ("collaboration_id") REFERENCES "collaborations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_run_shard_id_fkey" FOREIGN KEY ("run_shard_id") REFERENCES "run_shards"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants that schema.prisma cannot express (Prisma keeps CHECK constraints it did not
-- write, and its diffs ignore them).

-- A prediction is correct exactly when it names the true class.
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_correct_check" CHECK ("correct" = ("label" = "predicted_class"));

-- An attention map holds one float16 (2 bytes) per patch of its grid.
ALTER TABLE "attention_maps" ADD CONSTRAINT "attention_maps_grid_check" CHECK ("grid_rows" > 0 AND "grid_cols" > 0 AND octet_length("data") = 2 * "grid_rows" * "grid_cols");

-- Job progress is a fraction.
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_progress_check" CHECK ("progress" >= 0 AND "progress" <= 1);
