import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface PopoverOptions {
  /** The popup element (a `popover` node in the host's shadow root). */
  panel(): HTMLElement | undefined;
  /** Positions the panel once it is shown (it is measured then). */
  place(panel: HTMLElement): void;
  /** Nodes a pointer-down on which does not count as "outside" (besides the host). */
  inside?(): (Element | null | undefined)[];
  /** Called when a pointer-down lands outside: the host closes without moving focus. */
  onOutside(): void;
}

/**
 * Shows and hides a popup as a top-layer popover (never clipped by a scrolling ancestor), places
 * it, and reports pointer-downs outside it while it is open. Used by the emoji picker and the
 * message actions menu.
 */
export class PopoverController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly options: PopoverOptions,
  ) {
    this.host = host;
    host.addController(this);
  }

  private readonly host: HTMLElement;

  /** Show the panel (after the host rendered it) and start watching for outside pointer-downs. */
  show(): void {
    const panel = this.options.panel();
    if (!panel) return;
    if (typeof panel.showPopover === 'function' && !panel.matches(':popover-open')) {
      panel.showPopover();
    }
    this.options.place(panel);
    document.addEventListener('pointerdown', this.onPointerDown, true);
  }

  hide(): void {
    const panel = this.options.panel();
    if (panel && typeof panel.hidePopover === 'function' && panel.matches(':popover-open')) {
      panel.hidePopover();
    }
    document.removeEventListener('pointerdown', this.onPointerDown, true);
  }

  hostDisconnected(): void {
    document.removeEventListener('pointerdown', this.onPointerDown, true);
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    const path = event.composedPath();
    const inside = [this.host, ...(this.options.inside?.() ?? [])];
    if (!inside.some((node) => node && path.includes(node))) this.options.onOutside();
  };
}
