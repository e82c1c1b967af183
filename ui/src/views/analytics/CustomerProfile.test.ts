import { describe, expect, it } from "vitest";
import { groupChanges } from "./CustomerProfile";

describe("a customer's path through the groups", () => {
  it("keeps the first month and each month the group changed", () => {
    const history = [
      { month: "2025-01", group: "new" as const },
      { month: "2025-02", group: "new" as const },
      { month: "2025-03", group: "loyal" as const },
      { month: "2025-04", group: "loyal" as const },
      { month: "2025-05", group: "at_risk" as const },
    ];
    expect(groupChanges(history).map((at) => `${at.month} ${at.group}`)).toEqual(["2025-01 new", "2025-03 loyal", "2025-05 at_risk"]);
    expect(groupChanges([])).toEqual([]);
  });
});
