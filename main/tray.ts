// The tray icon: the server's state at a glance, open the window, quit.
import { Menu, Tray, nativeImage } from 'electron';
import type { ServerState } from './supervisor.js';
import { TRAY_ICON_SIZE, describeState, trayIconBitmap, type TrayTone } from './tray-icon.js';

export interface AppTray {
  update(state: ServerState): void;
  destroy(): void;
}

export function createTray(actions: { open(): void; quit(): void }): AppTray {
  const image = (tone: TrayTone) => nativeImage.createFromBitmap(trayIconBitmap(tone), { width: TRAY_ICON_SIZE, height: TRAY_ICON_SIZE });
  const tray = new Tray(image('busy'));
  tray.on('click', actions.open);
  const update = (state: ServerState) => {
    const { text, tone } = describeState(state);
    tray.setImage(image(tone));
    tray.setToolTip(text);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: text, enabled: false },
        { type: 'separator' },
        { label: 'Open Mailroom', click: actions.open },
        { label: 'Quit Mailroom', click: actions.quit },
      ]),
    );
  };
  update({ kind: 'starting' });
  return { update, destroy: () => tray.destroy() };
}
