import { initGitRepository } from "../src/index.js";
import { removeDir, tempDir } from "./helpers.js";
import { repositoryContract } from "./repository-contract.js";

repositoryContract("git (non-bare)", async () => {
  const dir = tempDir("contract");
  const repo = await initGitRepository(dir, { initialBranch: "main" });
  return {
    repo,
    cleanup: async () => {
      await repo.close();
      removeDir(dir);
    },
  };
});

repositoryContract("git (bare)", async () => {
  const dir = tempDir("contract-bare");
  const repo = await initGitRepository(dir, { bare: true, initialBranch: "main" });
  return {
    repo,
    cleanup: async () => {
      await repo.close();
      removeDir(dir);
    },
  };
});
