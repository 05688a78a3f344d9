/**
 * The room around the stage: students join by QR code; controls are big enough to touch; tablets
 * don't scroll sideways; a phone opens a class link on the tab's own content.
 */
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

/** The QR code on the page, drawn onto a canvas and decoded (jsQR), or null. */
async function readQrCode(page: Page): Promise<string | null> {
  const pixels = await page.evaluate(async () => {
    const svg = document.querySelector(".qr-code") as SVGSVGElement;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    const size = 600;
    copy.setAttribute("width", String(size));
    copy.setAttribute("height", String(size));
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
    context.drawImage(image, 0, 0, size, size);
    return { size, data: Array.from(context.getImageData(0, 0, size, size).data) };
  });
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.size, pixels.size)?.data ?? null;
}

/** Every visible control smaller than 44 × 44 CSS pixels (a checkbox counts by its label). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll(
        "button, [role=tab], select, textarea, summary, input:not([type=hidden])",
      ),
    ]
      .map((e) => {
        const check = e.matches("input[type=checkbox], input[type=radio]");
        const target = (check ? e.closest("label") : e) ?? e;
        const box = target.getBoundingClientRect();
        const shown = (e as HTMLElement).offsetParent !== null && box.width > 0;
        return shown && (box.width < 43.5 || box.height < 43.5)
          ? `${e.tagName.toLowerCase()} "${(e.getAttribute("aria-label") ?? (e as HTMLElement).innerText ?? "").slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`
          : null;
      })
      .filter((s): s is string => s !== null),
  );
}

const sideways = (page: Page) =>
  page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - innerWidth);

describe("joining by QR code", () => {
  const browser = useBrowser();

  it.each(["wasm", "webgpu"])(
    "on %s: the students' QR code reads back as exactly the link, and a link too long for one says so",
    async (backend) => {
      const { page, errors } = await openPage(browser());
      await page.goto(`${inject("baseUrl")}?backend=${backend}&panel=compare&prompt=Bonjour`);
      await page.getByRole("button", { name: "Copy link for students" }).click();
      const dialog = page.getByRole("dialog", { name: "Link for students" });
      await dialog.getByRole("checkbox", { name: "Lock Prompt" }).check();
      const link = await dialog.getByRole("textbox", { name: "The link" }).inputValue();
      expect(link).toContain("lock=");
      await dialog.getByRole("img", { name: "QR code of the link for students" }).waitFor();
      expect(await readQrCode(page)).toBe(link);
      expect(
        await dialog.getByRole("button", { name: "Show the QR code full screen" }).count(),
      ).toBe(1);
      await dialog.getByRole("button", { name: "Close" }).click();
      // 4,800 characters that hardly compress: a link over what a QR code holds (≈ 2,900 bytes).
      let text = "";
      for (let i = 0; text.length < 4800; i++) text += ((i * 7919) % 1000003).toString(36);
      await page.getByRole("tab", { name: "Routing" }).click();
      await page.getByRole("textbox", { name: "Text to route" }).fill(text.slice(0, 4800));
      await page.getByRole("button", { name: "Copy link for students" }).click();
      await dialog.getByText(/too long for a QR code/).waitFor();
      expect(
        await dialog.getByRole("img", { name: "QR code of the link for students" }).count(),
      ).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});

describe("touch, tablets and phones", () => {
  const browser = useBrowser();

  it("on the stage and on a touch screen, every control is at least 44 × 44 pixels", async () => {
    for (const [options, query] of [
      [{ viewport: { width: 1280, height: 720 } }, "present=1&lesson=6"],
      [{ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true }, "panel=train"],
    ] as const) {
      const context = await browser().newContext(options);
      const { page, errors } = await openPage(context);
      for (const panel of ["route", "compare", "train", "forget", "add", "about"]) {
        await page.goto(`${inject("baseUrl")}?backend=wasm&${query}&panel=${panel}`);
        await page.getByRole("tab", { selected: true }).waitFor();
        await page.waitForTimeout(300);
        expect(await smallTargets(page), `${query}, ${panel}`).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it.each([
    [1024, 768],
    [768, 1024],
  ])(
    "at %i × %i no page scrolls sideways, and the lesson card covers no step's control or result",
    async (width, height) => {
      const context = await browser().newContext({ viewport: { width, height }, hasTouch: true });
      const { page, errors } = await openPage(context);
      for (let step = 1; step <= 9; step++) {
        await page.goto(`${inject("baseUrl")}?backend=wasm&lesson=${step}`);
        const highlighted = page.locator(".lesson-highlight").first();
        await highlighted.waitFor({ timeout: 60_000 });
        expect(await sideways(page), `step ${step}`).toBeLessThanOrEqual(0);
        const card = await page.locator(".lesson-card").boundingBox();
        const control = await highlighted.boundingBox();
        if (!card || !control) throw new Error("no card or control");
        const overlaps =
          card.x < control.x + control.width &&
          control.x < card.x + card.width &&
          card.y < control.y + control.height &&
          control.y < card.y + card.height;
        expect(overlaps, `step ${step}: the card covers its control`).toBe(false);
      }
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it("on a phone, a class link opens on the tab's own content: its first control is on the first screen", async () => {
    const context = await browser().newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const { page, errors } = await openPage(context);
    // About is prose: its title and opening lines are its content there.
    for (const panel of ["compare", "route", "train", "forget", "add", "about"]) {
      await page.goto(`${inject("baseUrl")}?backend=wasm&panel=${panel}&lock=seed&seed=7`);
      await page.getByRole("tab", { selected: true }).waitFor();
      const first = page
        .getByRole("tabpanel")
        .locator(panel === "about" ? "h2 + p" : "button, a, input, select, textarea, summary")
        .first();
      const box = await first.boundingBox();
      expect(box, panel).not.toBeNull();
      expect((box?.y ?? 844) + (box?.height ?? 0), `${panel}'s first control`).toBeLessThanOrEqual(
        844,
      );
      expect(await sideways(page)).toBeLessThanOrEqual(0);
    }
    // The header folds into one bar; its menu holds the rest.
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("button", { name: "Copy link for students" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
