/**
 * Files dragged from the desktop onto the host: `dragging` is true while they hover (the host
 * shows a drop hint), and dropped files are handed to `onFiles`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FileDropOptions {
  /** Whether drops are accepted now. */
  enabled: () => boolean;
  onFiles: (files: File[]) => void;
}

export class FileDropController implements ReactiveController {
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: FileDropOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('drop', this.onDrop);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('dragleave', this.onDragLeave);
    this.host.removeEventListener('drop', this.onDrop);
    this.set(false);
  }

  private set(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  private readonly onDragOver = (event: DragEvent): void => {
    if (!this.options.enabled() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.set(true);
  };

  private readonly onDragLeave = (event: DragEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (!to || !this.host.contains(to)) this.set(false);
  };

  private readonly onDrop = (event: DragEvent): void => {
    this.set(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (!files.length || !this.options.enabled()) return;
    event.preventDefault();
    this.options.onFiles(files);
  };
}
