/* The demo store: hash routes, a cart in localStorage, and a tracker call for each step of the funnel. */
(function () {
  'use strict';

  var CURRENCY = 'EUR';
  var PRODUCTS = [
    { id: 'p-100', name: 'Fjord wool sweater', price: 89.0, color: '#3e6e8e', shape: 'sweater' },
    { id: 'p-101', name: 'Trail running shoes', price: 119.0, color: '#c8553d', shape: 'shoe' },
    { id: 'p-102', name: 'Merino beanie', price: 24.5, color: '#588b8b', shape: 'beanie' },
    { id: 'p-103', name: 'Rain shell jacket', price: 149.0, color: '#f2a541', shape: 'jacket' },
    { id: 'p-104', name: 'Hiking socks (3 pairs)', price: 19.9, color: '#8e7dbe', shape: 'socks' },
    { id: 'p-105', name: 'Insulated bottle', price: 32.0, color: '#2a9d8f', shape: 'bottle' }
  ];
  var BY_ID = {};
  PRODUCTS.forEach(function (p) { BY_ID[p.id] = p; });
  var CAMPAIGNS = [
    { id: 'google', label: 'Arrive from Google Ads', utm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'winter_sale' } },
    { id: 'newsletter', label: 'Arrive from the newsletter', utm: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'november_picks' } },
    { id: 'instagram', label: 'Arrive from Instagram', utm: { utm_source: 'instagram', utm_medium: 'social', utm_campaign: 'lookbook' } }
  ];
  var CART_KEY = 'ff_demo_cart';
  var params = new URLSearchParams(window.location.search);
  var writeKey = params.get('key') || (window.FUNNELFLOW_DEMO && window.FUNNELFLOW_DEMO.write_key);
  var app = document.getElementById('app');

  if (!writeKey) {
    app.textContent = 'No write key: open the store as /demo/?key=YOUR_WRITE_KEY.';
    return;
  }
  window.funnelflow.init({ writeKey: writeKey, endpoint: window.location.origin, flushInterval: 1000 });

  function money(n) {
    return new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY }).format(n);
  }

  function art(p, size) {
    var shapes = {
      sweater: '<path d="M30 30 L45 22 L55 22 L70 30 L80 50 L70 55 L68 80 L32 80 L30 55 L20 50 Z" fill="#fff" opacity=".85"/>',
      shoe: '<path d="M18 62 L40 50 L52 58 L80 60 Q86 62 84 72 L18 72 Z" fill="#fff" opacity=".85"/>',
      beanie: '<path d="M25 65 Q25 28 50 28 Q75 28 75 65 Z" fill="#fff" opacity=".85"/><rect x="22" y="62" width="56" height="10" rx="3" fill="#fff"/><circle cx="50" cy="24" r="6" fill="#fff"/>',
      jacket: '<path d="M32 24 L50 30 L68 24 L82 40 L74 48 L70 80 L30 80 L26 48 L18 40 Z" fill="#fff" opacity=".85"/><line x1="50" y1="30" x2="50" y2="80" stroke="' + p.color + '" stroke-width="2"/>',
      socks: '<path d="M36 20 L50 20 L50 58 L62 68 Q66 78 56 80 L36 70 Z" fill="#fff" opacity=".85"/>',
      bottle: '<rect x="38" y="30" width="24" height="52" rx="8" fill="#fff" opacity=".85"/><rect x="43" y="18" width="14" height="12" rx="3" fill="#fff"/>'
    };
    return '<svg class="art" role="img" aria-label="' + p.name + '" viewBox="0 0 100 100" width="' + size + '" height="' + size + '">'
      + '<rect width="100" height="100" rx="10" fill="' + p.color + '"/>' + shapes[p.shape] + '</svg>';
  }

  function readCart() {
    try {
      return JSON.parse(window.localStorage.getItem(CART_KEY)) || [];
    } catch (e) {
      return [];
    }
  }

  function writeCart(lines) {
    window.localStorage.setItem(CART_KEY, JSON.stringify(lines));
    updateHeader();
  }

  function cartTotals(lines) {
    return lines.reduce(function (t, l) {
      var p = BY_ID[l.id];
      return p ? { items: t.items + l.quantity, value: t.value + p.price * l.quantity } : t;
    }, { items: 0, value: 0 });
  }

  function round2(n) {
    return Math.round(n * 100) / 100;
  }

  function productProps(p, quantity) {
    var props = { product_id: p.id, product_name: p.name, price: p.price, currency: CURRENCY };
    if (quantity != null) {
      props.quantity = quantity;
    }
    return props;
  }

  function updateHeader() {
    document.getElementById('cart-count').textContent = String(cartTotals(readCart()).items);
    document.getElementById('anonymous-id').textContent = window.funnelflow.anonymousId() || '–';
    document.getElementById('session-id').textContent = window.funnelflow.sessionId() || '–';
  }

  /** A link that arrives as a new visit from a campaign (keeping ?key= if the store was opened with one). */
  function campaignHref(c) {
    var q = new URLSearchParams(c.utm);
    if (params.get('key')) {
      q.set('key', params.get('key'));
    }
    return '?' + q.toString() + '#/';
  }

  var views = {
    home: function () {
      app.innerHTML = '<h1>Gear for cold, bright days</h1><div class="grid" id="product-grid">'
        + PRODUCTS.map(function (p) {
          return '<article class="card" id="product-card-' + p.id + '" data-testid="product-card" data-product-id="' + p.id + '">'
            + '<a href="#/product/' + p.id + '" data-testid="product-link">' + art(p, 200)
            + '<h2>' + p.name + '</h2><span class="price">' + money(p.price) + '</span></a></article>';
        }).join('') + '</div>'
        + '<section class="campaigns"><h2>Simulate a campaign visit</h2><p>Each link opens the store as a new visit '
        + 'from a campaign, with utm_source, utm_medium and utm_campaign in the URL.</p>'
        + CAMPAIGNS.map(function (c) {
          return '<a href="' + campaignHref(c) + '" data-testid="campaign-' + c.id + '" id="campaign-' + c.id + '">' + c.label + '</a>';
        }).join('') + '</section>';
    },

    product: function (id) {
      var p = BY_ID[id];
      if (!p) {
        return views.notFound();
      }
      app.innerHTML = '<section class="product" id="product-page" data-testid="product-page" data-product-id="' + p.id + '">'
        + art(p, 320) + '<div><h1>' + p.name + '</h1><p class="price">' + money(p.price) + '</p>'
        + '<p>Made to last through many winters. Free returns within 30 days.</p>'
        + '<button id="add-to-cart" data-testid="add-to-cart" type="button">Add to cart</button> '
        + '<a href="#/" class="button secondary">Keep shopping</a>'
        + '<p id="added-note" data-testid="added-note" hidden>Added. <a href="#/cart">View cart</a></p></div></section>';
      window.funnelflow.track('product_view', productProps(p));
      document.getElementById('add-to-cart').addEventListener('click', function () {
        var lines = readCart();
        var line = lines.filter(function (l) { return l.id === p.id; })[0];
        if (line) {
          line.quantity += 1;
        } else {
          lines.push({ id: p.id, quantity: 1 });
        }
        writeCart(lines);
        window.funnelflow.track('add_to_cart', productProps(p, 1));
        document.getElementById('added-note').hidden = false;
      });
    },

    cart: function () {
      var lines = readCart().filter(function (l) { return BY_ID[l.id]; });
      var totals = cartTotals(lines);
      app.innerHTML = '<section id="cart" data-testid="cart"><h1>Your cart</h1>'
        + (lines.length === 0 ? '<p id="cart-empty" data-testid="cart-empty">Your cart is empty. <a href="#/">Browse the shop</a></p>'
          : '<table><thead><tr><th>Product</th><th>Qty</th><th>Price</th><th></th></tr></thead><tbody>'
            + lines.map(function (l) {
              var p = BY_ID[l.id];
              return '<tr data-testid="cart-item" data-product-id="' + p.id + '"><td>' + p.name + '</td><td>' + l.quantity + '</td><td>'
                + money(p.price * l.quantity) + '</td><td><button type="button" class="secondary" data-testid="remove-from-cart" '
                + 'data-product-id="' + p.id + '">Remove</button></td></tr>';
            }).join('')
            + '</tbody></table><p class="total">Total: <strong id="cart-total" data-testid="cart-total">' + money(totals.value) + '</strong></p>'
            + '<a href="#/checkout" id="checkout" data-testid="checkout" class="button">Checkout</a>')
        + '</section>';
      Array.prototype.forEach.call(app.querySelectorAll('[data-testid="remove-from-cart"]'), function (button) {
        button.addEventListener('click', function () {
          var id = button.getAttribute('data-product-id');
          var removed = readCart().filter(function (l) { return l.id === id; })[0];
          writeCart(readCart().filter(function (l) { return l.id !== id; }));
          if (removed) {
            window.funnelflow.track('remove_from_cart', productProps(BY_ID[id], removed.quantity));
          }
          views.cart();
        });
      });
    },

    checkout: function () {
      var totals = cartTotals(readCart());
      if (totals.items === 0) {
        return views.cart();
      }
      window.funnelflow.track('checkout_start', { quantity: totals.items, currency: CURRENCY, cart_value: round2(totals.value) });
      app.innerHTML = '<section id="checkout-page" data-testid="checkout-page"><h1>Checkout</h1>'
        + '<p>' + totals.items + ' item(s), ' + money(totals.value) + '. This is a demo: nothing is charged.</p>'
        + '<form id="checkout-form"><label>Name <input name="name" value="Alex Demo" autocomplete="off"></label>'
        + '<label>Email <input name="email" type="email" value="alex@example.com" autocomplete="off"></label>'
        + '<button id="place-order" data-testid="place-order" type="submit">Place order</button></form></section>';
      document.getElementById('checkout-form').addEventListener('submit', function (event) {
        event.preventDefault();
        var lines = readCart();
        var t = cartTotals(lines);
        var orderId = 'o-' + Date.now().toString(36) + '-' + Math.floor(Math.random() * 1e6).toString(36);
        window.funnelflow.track('purchase', {
          revenue: round2(t.value), currency: CURRENCY, quantity: t.items, order_id: orderId,
          products: lines.map(function (l) { return { product_id: l.id, quantity: l.quantity, price: BY_ID[l.id].price }; })
        });
        writeCart([]);
        window.location.hash = '#/order/' + orderId + '/' + round2(t.value);
      });
    },

    order: function (orderId, revenue) {
      app.innerHTML = '<section class="confirmation" id="order-confirmation" data-testid="order-confirmation" data-order-id="'
        + encodeURIComponent(orderId) + '" data-revenue="' + Number(revenue) + '" data-events-sent="false">'
        + '<h1>Thank you!</h1><p>Order <code>' + encodeURIComponent(orderId) + '</code>, ' + money(Number(revenue)) + '.</p>'
        + '<p id="delivery-note" data-testid="delivery-note">Sending events…</p><a href="#/" class="button">Back to the shop</a></section>';
      var section = document.getElementById('order-confirmation');
      window.funnelflow.flush().then(function (waiting) {
        if (waiting === 0 && document.getElementById('order-confirmation') === section) {
          section.setAttribute('data-events-sent', 'true');
          document.getElementById('delivery-note').textContent = 'Your visit is in FunnelFlow.';
        }
      });
    },

    notFound: function () {
      app.innerHTML = '<h1>Not found</h1><p><a href="#/">Back to the shop</a></p>';
    }
  };

  function route() {
    var parts = (window.location.hash || '#/').replace(/^#\/?/, '').split('/');
    window.funnelflow.page();
    if (parts[0] === '') {
      views.home();
    } else if (parts[0] === 'product') {
      views.product(parts[1]);
    } else if (parts[0] === 'cart') {
      views.cart();
    } else if (parts[0] === 'checkout') {
      views.checkout();
    } else if (parts[0] === 'order' && parts[1]) {
      views.order(decodeURIComponent(parts[1]), parts[2]);
    } else {
      views.notFound();
    }
    updateHeader();
    window.scrollTo(0, 0);
  }

  window.addEventListener('hashchange', route);
  route();
})();
