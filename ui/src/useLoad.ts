import { useEffect, useState } from "preact/hooks";
import { dataVersion, report } from "./state";

/** Loads a view's data, and loads it again whenever a job has changed the store. */
export function useLoad<T>(load: () => Promise<T>): T | null {
  const [data, setData] = useState<T | null>(null);
  const version = dataVersion.value;
  useEffect(() => {
    let current = true;
    load()
      .then((value) => current && setData(value))
      .catch(report);
    return () => {
      current = false;
    };
  }, [version]);
  return data;
}
