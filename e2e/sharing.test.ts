import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("sharing a link", () => {
  const browser = useBrowser();

  it.each(["webgpu", "wasm"])(
    "Copy link on %s gives a link that opens the same panel with the same settings",
    async (backend) => {
      const context = await browser().newContext({
        permissions: ["clipboard-read", "clipboard-write"],
      });
      const { page, errors } = await openPage(context);
      await page.goto(`${inject("baseUrl")}?backend=${backend}`);
      await page.getByRole("tab", { name: "Teacher vs student" }).click();
      await page.getByRole("textbox", { name: "Prompt" }).fill("Der Drucker & <b>das</b> Papier");
      await page.getByRole("spinbutton", { name: "Temperature" }).fill("0.3");
      await page.getByRole("spinbutton", { name: "Seed" }).fill("42");
      await page.getByRole("combobox", { name: "Student" }).selectOption("de");
      await page.getByRole("button", { name: "Copy link", exact: true }).click();
      await page.getByText("Link copied.").waitFor();
      const link = await page.evaluate(() => navigator.clipboard.readText());
      expect(link).toBe(page.url());

      const { page: shared, errors: sharedErrors } = await openPage(context);
      await shared.goto(link);
      await shared.getByRole("tab", { name: "Teacher vs student", selected: true }).waitFor();
      expect(await shared.getByRole("textbox", { name: "Prompt" }).inputValue()).toBe(
        "Der Drucker & <b>das</b> Papier",
      );
      expect(await shared.getByRole("spinbutton", { name: "Temperature" }).inputValue()).toBe(
        "0.3",
      );
      expect(await shared.getByRole("spinbutton", { name: "Seed" }).inputValue()).toBe("42");
      expect(await shared.getByRole("combobox", { name: "Student" }).inputValue()).toBe("de");
      await shared
        .getByRole("status", { name: "Compute backend" })
        .filter({
          hasText: new RegExp(`^Running on ${backend.toUpperCase()}.* · chosen by the link`),
        })
        .waitFor({ timeout: 60_000 });
      expect(await shared.getByRole("alert").count()).toBe(0); // a valid link raises no notice
      expect(await shared.locator("b").count()).toBe(0); // the prompt is text, never markup
      expect([...errors, ...sharedErrors]).toEqual([]);
      await context.close();
    },
  );

  it("keeps 5,000 characters of Chinese out of the address, in the tab, and says links don't carry it", async () => {
    const context = await browser().newContext({
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const { page, errors } = await openPage(context);
    await page.goto(`${inject("baseUrl")}?backend=wasm&topK=7`);
    let seed = 5;
    const text = Array.from({ length: 5000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCodePoint(0x4e00 + (seed % 20_000));
    }).join("");
    const box = page.getByRole("textbox", { name: "Text to route" });
    await box.fill(text);
    const notice = page.getByText(
      "The link doesn't carry the text to route: too long for a link (over 8 kB). This tab keeps it: a reload brings it back.",
    );
    await notice.waitFor();
    expect(new TextEncoder().encode(page.url()).length).toBeLessThanOrEqual(8000);
    expect(new URL(page.url()).searchParams.get("topK")).toBe("7");
    await page.getByRole("button", { name: "Copy link", exact: true }).click();
    await page.getByText(/^Link copied\. The link doesn't carry the text to route/).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
    await page.reload();
    await notice.waitFor();
    expect(await box.inputValue()).toBe(text);
    // A text that fits goes back into the address.
    await box.fill("Guten Tag, wie geht es Ihnen?");
    await expect
      .poll(() => new URL(page.url()).searchParams.get("text"))
      .toBe("Guten Tag, wie geht es Ihnen?");
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the link in a selectable field when the clipboard refuses, instead of 'Link copied.'", async () => {
    const { page, errors } = await openPage(browser());
    // A browser that denies clipboard access (no permission, or the page not focused).
    await page.addInitScript(() => {
      navigator.clipboard.writeText = () =>
        Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
    });
    await page.goto(`${inject("baseUrl")}?backend=wasm&topK=7`);
    await page.getByRole("button", { name: "Copy link", exact: true }).click();
    await page.getByText("Could not copy: select the link below and copy it.").waitFor();
    expect(await page.getByText("Link copied.").count()).toBe(0);
    const field = page.getByRole("textbox", { name: "The link" });
    expect(await field.inputValue()).toBe(page.url());
    await field.focus(); // focusing selects the whole link, ready to copy
    expect(
      await field.evaluate(
        (el: HTMLInputElement) => (el.selectionEnd ?? 0) - (el.selectionStart ?? 0),
      ),
    ).toBe(page.url().length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("explains a number out of range next to its field and keeps the last valid value", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=compare`);
    const temperature = page.getByRole("spinbutton", { name: "Temperature" });
    await temperature.fill("1.5");
    await temperature.fill("5");
    expect(await temperature.inputValue()).toBe("5"); // what was typed stays while editing
    expect(await page.getByRole("alert").textContent()).toBe("must be between 0 and 2");
    expect(new URL(page.url()).searchParams.get("temperature")).toBe("1.5");
    await temperature.fill("");
    expect(await page.getByRole("alert").textContent()).toBe("enter a number");
    await temperature.blur();
    expect(await temperature.inputValue()).toBe("1.5");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
