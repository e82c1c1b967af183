import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Views reach the backend only through src/api.ts.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tauri-apps/api/core",
              message: "Call the backend through src/api.ts.",
            },
            {
              name: "@tauri-apps/plugin-dialog",
              message: "Open dialogs through src/api.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/api.ts", "src/**/*.test.ts", "src/**/*.test.tsx"],
    rules: { "no-restricted-imports": "off" },
  },
);
