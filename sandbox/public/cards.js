// Product messages as the apps draw them, from the card the emulator read out of the Send API body:
// WhatsApp CTA messages (image, body, footer, a "View" link button), single-product and
// product-list messages (the list opens like WhatsApp's sheet), and the Messenger/Instagram
// generic template carousel, whose postback buttons send a postback webhook back to Threadline, and
// their button template (an answer's sources: text above link buttons).
import { el } from './dom.js';

function image(url, className, alt) {
  const img = el('img', className);
  img.alt = alt || '';
  img.loading = 'lazy';
  if (url) img.src = url;
  return img;
}

/** A link that leaves the sandbox: a new tab, never the page itself. */
function link(url, className, text) {
  const a = el('a', className, text);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function productRow(product) {
  const row = el('div', 'wa-product');
  row.dataset.productId = product.id;
  row.append(image(product.imageUrl, 'wa-product__image', product.title));
  const text = el('div', 'wa-product__text');
  text.append(el('div', 'wa-product__title', product.title), el('div', 'wa-product__price', product.price));
  row.append(text);
  return row;
}

function ctaUrl(card) {
  const box = el('div', 'wa-card wa-card--cta');
  if (card.headerImageUrl) box.append(image(card.headerImageUrl, 'wa-card__header-image', 'product picture'));
  if (card.headerText) box.append(el('div', 'wa-card__header', card.headerText));
  box.append(el('div', 'wa-card__body', card.body));
  if (card.footer) box.append(el('div', 'wa-card__footer', card.footer));
  box.append(link(card.button.url, 'wa-card__button', `↗ ${card.button.title}`));
  return box;
}

function singleProduct(card) {
  const box = el('div', 'wa-card wa-card--product');
  box.append(productRow(card.product));
  if (card.body) box.append(el('div', 'wa-card__body', card.body));
  if (card.footer) box.append(el('div', 'wa-card__footer', card.footer));
  if (card.product.link) box.append(link(card.product.link, 'wa-card__button', 'View'));
  return box;
}

function productList(card) {
  const box = el('div', 'wa-card wa-card--list');
  const first = card.sections[0] && card.sections[0].products[0];
  if (first) box.append(image(first.imageUrl, 'wa-card__thumb', first.title));
  box.append(el('div', 'wa-card__header', card.header), el('div', 'wa-card__body', card.body));
  if (card.footer) box.append(el('div', 'wa-card__footer', card.footer));
  const count = card.sections.reduce((n, s) => n + s.products.length, 0);
  const sheet = el('div', 'wa-sheet');
  sheet.hidden = true;
  for (const section of card.sections) {
    if (section.title) sheet.append(el('div', 'wa-sheet__section', section.title));
    section.products.forEach((p) => sheet.append(productRow(p)));
  }
  const open = el('button', 'wa-card__button', `☰ View items (${count})`);
  open.type = 'button';
  open.addEventListener('click', () => {
    sheet.hidden = !sheet.hidden;
  });
  box.append(open, sheet);
  return box;
}

function carousel(card, platform, onPostback) {
  const strip = el('div', `carousel carousel--${platform}`);
  for (const element of card.elements) {
    const item = el('div', 'carousel__card');
    const picture = image(element.imageUrl, card.squareImages ? 'carousel__image is-square' : 'carousel__image');
    item.append(element.defaultUrl ? link(element.defaultUrl, 'carousel__tap', '') : el('div'));
    item.lastChild.append(picture);
    const text = el('div', 'carousel__text');
    text.append(el('div', 'carousel__title', element.title));
    if (element.subtitle) text.append(el('div', 'carousel__subtitle', element.subtitle));
    item.append(text);
    for (const button of element.buttons) {
      if (button.type === 'web_url') item.append(link(button.url, 'carousel__button', button.title));
      else {
        const b = el('button', 'carousel__button', button.title);
        b.type = 'button';
        if (button.type === 'postback') b.addEventListener('click', () => onPostback(button.title, button.payload));
        item.append(b);
      }
    }
    strip.append(item);
  }
  return strip;
}

function buttonTemplate(card, onPostback) {
  const box = el('div', 'page-buttons');
  box.append(el('div', 'page-buttons__text', card.text));
  for (const button of card.buttons) {
    if (button.type === 'web_url') box.append(link(button.url, 'page-buttons__button', button.title));
    else {
      const b = el('button', 'page-buttons__button', button.title);
      b.type = 'button';
      if (button.type === 'postback') b.addEventListener('click', () => onPostback(button.title, button.payload));
      box.append(b);
    }
  }
  return box;
}

/** The element to put in a bot row for `item.card`; `onPostback(title, payload)` for taps. */
export function drawCard(item, onPostback) {
  const card = item.card;
  if (card.type === 'cta_url') return ctaUrl(card);
  if (card.type === 'product') return singleProduct(card);
  if (card.type === 'product_list') return productList(card);
  if (card.type === 'buttons') return buttonTemplate(card, onPostback);
  return carousel(card, item.platform, onPostback);
}
