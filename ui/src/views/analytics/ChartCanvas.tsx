import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";

// Only what the dashboard draws, so the bundle carries no more of Chart.js.
Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/** The theme's colours, read from the stylesheet so the charts follow light and dark. */
export function themeColour(name: "accent" | "muted" | "line" | "warn" | "text"): string {
  const fallback = { accent: "#1f6f78", muted: "#5f6b6e", line: "#e2ded4", warn: "#b3261e", text: "#1b2426" }[name];
  if (typeof document === "undefined") return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim() || fallback;
}

/**
 * A Chart.js chart on a canvas, made again when its configuration changes. `onPick`
 * gets the index of the bar or point the seller clicked (a drill-down).
 */
export function ChartCanvas(props: {
  config: ChartConfiguration;
  label: string;
  testId: string;
  height?: number;
  onPick?: (index: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!element || !context) return;
    const pick = props.onPick;
    const chart = new Chart(context, {
      ...props.config,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        ...props.config.options,
        onClick: pick
          ? (_event, elements) => {
              const first = elements[0];
              if (first) pick(first.index);
            }
          : undefined,
      },
    });
    return () => chart.destroy();
  }, [props.config, props.onPick]);
  return (
    <div class="chart" style={{ height: `${props.height ?? 220}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} data-testid={props.testId} />
    </div>
  );
}
