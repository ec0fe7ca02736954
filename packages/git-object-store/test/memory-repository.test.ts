import { createMemoryRepository } from "../src/index.js";
import { repositoryContract } from "./repository-contract.js";

repositoryContract("memory", async () => {
  const repo = createMemoryRepository();
  return { repo, cleanup: () => repo.close() };
});
