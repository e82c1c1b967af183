import { useEffect } from "preact/hooks";
import { JobProgress } from "./components/JobProgress";
import { Nav } from "./components/Nav";
import { errorText, language, t } from "./i18n";
import { loadLanguage, openFirstRunIfNew, problem, refreshOverview, view } from "./state";
import { Analytics } from "./views/Analytics";
import { Assistant } from "./views/Assistant";
import { Listings } from "./views/Listings";
import { Models } from "./views/Models";
import { Photos } from "./views/Photos";
import { Settings } from "./views/Settings";
import { Welcome } from "./views/Welcome";

const views = { welcome: Welcome, listings: Listings, photos: Photos, analytics: Analytics, assistant: Assistant, models: Models, settings: Settings };

export function App() {
  useEffect(() => {
    void loadLanguage();
    void refreshOverview();
    void openFirstRunIfNew();
  }, []);
  useEffect(() => {
    document.documentElement.lang = language.value;
  }, [language.value]);
  const View = views[view.value];
  return (
    <div class="app">
      <aside class="sidebar">
        <div class="brand">
          <span class="brand-name">Tradewind</span>
          <span class="brand-tagline">{t("app.tagline")}</span>
        </div>
        <Nav />
      </aside>
      <main class="content" data-testid={`view-${view.value}`}>
        {problem.value && (
          <div class="problem" role="alert" data-testid="problem">
            <strong>{t("error.title")}: </strong>
            <span data-testid="problem-text">{errorText(problem.value.kind)}</span>
            <div class="detail" data-testid="problem-detail">
              {problem.value.detail}
            </div>
            <button type="button" data-testid="problem-dismiss" onClick={() => (problem.value = null)}>
              ×
            </button>
          </div>
        )}
        <JobProgress />
        <View />
      </main>
    </div>
  );
}
