// A program written from the docs (docs/rest-api.md) against the generated types: it must type-check under
// tsc --strict with no cast. It is only compiled, never run.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type ExecutionStatus = components["schemas"]["ExecutionStatus"];
type Problem = components["schemas"]["Problem"];
type ValidationProblem = components["schemas"]["ValidationProblem"];

function report(problem: Problem | ValidationProblem): void {
  console.error(`${problem.status} ${problem.title}: ${problem.detail ?? ""}`);
  if ("errors" in problem && problem.errors) {
    for (const [field, messages] of Object.entries(problem.errors)) {
      console.error(`  ${field}: ${messages.join("; ")}`);
    }
  }
  if ("problems" in problem && problem.problems) {
    for (const { path, message } of problem.problems) {
      console.error(`  ${path}: ${message}`);
    }
  }
}

export async function walkThrough(baseUrl: string, apiKey: string): Promise<void> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

  // Save a function stack (admin key): 201 the first time, 200 for a new version.
  const saved = await api.PUT("/api/functions/{name}", {
    params: { path: { name: "add_one" } },
    body: {
      description: "Adds one.",
      inputs: [{ name: "n", type: "int", required: true }],
      stack: [],
      response: "=$input.n + 1",
    },
  });
  if (saved.error) {
    report(saved.error);
    return;
  }
  console.log(`add_one is at version ${saved.data.version ?? "?"}; inputs: ${saved.data.inputs.map((i) => i.name).join(", ")}`);

  // Start it asynchronously: 202 with the new execution's record.
  const started = await api.POST("/api/functions/{name}/executions", {
    params: { path: { name: "add_one" } },
    body: { input: { n: 41 } },
    headers: { "Idempotency-Key": "walk-through-1" },
  });
  if (started.error) {
    report(started.error);
    return;
  }
  const id: string = started.data.id;

  // Read it, waiting up to 30 s for it to finish (long polling).
  const read = await api.GET("/api/executions/{id}", { params: { path: { id }, query: { waitSeconds: 30 } } });
  if (read.error) {
    report(read.error);
    return;
  }
  const status: ExecutionStatus = read.data.status;
  if (status === "Succeeded") {
    console.log("output:", read.data.output);
  } else if (status === "Failed" && read.data.error) {
    console.log(`failed with ${read.data.error.code}: ${read.data.error.message}`);
  }
  for (const entry of read.data.logs) {
    console.log(entry.at, entry.level, entry.message);
  }

  // Run one inside the request: 200 with its output, 422 when the function failed.
  const sync = await api.POST("/api/functions/{name}/run", {
    params: { path: { name: "add_one" } },
    body: { input: { n: 1 } },
  });
  if (sync.error) {
    report(sync.error);
    if ("executionId" in sync.error && sync.error.error) {
      console.log(`execution ${sync.error.executionId ?? "?"} failed: ${sync.error.error.code}`);
    }
  } else {
    console.log(`sync output of ${sync.data.id}:`, sync.data.output);
  }

  // Await several executions at once.
  const awaited = await api.POST("/api/executions/await", { body: { ids: [id], timeoutSeconds: 30 } });
  if (awaited.data) {
    for (const result of awaited.data.results) {
      console.log(result.id, result.status, result.output, result.error?.code);
    }
    console.log(awaited.data.completed ? "all finished" : "timed out");
  }

  // List the failed executions of a function, page by page.
  let cursor: string | undefined;
  do {
    const page = await api.GET("/api/executions", {
      params: { query: { function: "add_one", status: "Failed", createdAfter: "2026-01-01T00:00:00Z", limit: 100, cursor } },
    });
    if (page.error) {
      report(page.error);
      return;
    }
    for (const execution of page.data.items) {
      console.log(execution.id, execution.status, execution.createdAt, execution.caller?.key);
    }
    cursor = page.data.nextCursor ?? undefined;
  } while (cursor);

  // Cancel one with its children, retry it, then delete the function.
  const cancelled = await api.POST("/api/executions/{id}/cancel", { params: { path: { id }, query: { children: true } } });
  if (cancelled.error) {
    report(cancelled.error);
  } else {
    console.log("cancelled children:", cancelled.data.cancelledChildren ?? []);
  }
  const retried = await api.POST("/api/executions/{id}/retry", { params: { path: { id } } });
  if (retried.data) {
    console.log("retried as", retried.data.id, retried.data.retryOf ?? "(same execution)");
  }
  const functions = await api.GET("/api/functions");
  for (const fn of functions.data ?? []) {
    console.log(fn.name, fn.kind, fn.version);
  }
  const deleted = await api.DELETE("/api/functions/{name}", { params: { path: { name: "add_one" } } });
  if (deleted.response.status !== 204 && deleted.error) {
    report(deleted.error);
  }
}
