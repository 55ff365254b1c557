// A DOM for the renderer's component tests: happy-dom's window as the globals React and Mantine
// expect. Import it first, before react-dom, which looks for `window` when it loads.
import { GlobalRegistrator } from '@happy-dom/global-registrator';

GlobalRegistrator.register({ url: 'http://localhost/', width: 1366, height: 900 });
// React's act() warnings are for test environments that say so.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
