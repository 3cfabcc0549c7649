package io.funnelflow.simulator.shop;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The shop's products: categories with their own price ranges, made from a seed. */
public record Catalogue(List<Product> products) {

    private static final String[][] CATEGORIES = {
            {"outerwear", "Rain Jacket", "Parka", "Windbreaker", "Fleece"},
            {"shoes", "Trail Runner", "Leather Boot", "Sneaker", "Sandal"},
            {"accessories", "Wool Scarf", "Beanie", "Leather Belt", "Sunglasses"},
            {"home", "Linen Throw", "Ceramic Mug", "Table Lamp", "Cushion"},
            {"electronics", "Headphones", "Smart Watch", "Speaker", "Power Bank"},
            {"beauty", "Face Cream", "Perfume", "Lip Balm", "Shampoo"}};
    private static final int[][] PRICE_RANGES = {{60, 260}, {50, 190}, {12, 80}, {15, 120}, {30, 400}, {8, 90}};

    public static Catalogue generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Product> products = new ArrayList<>();
        for (int c = 0; c < CATEGORIES.length; c++) {
            String category = CATEGORIES[c][0];
            for (int i = 1; i < CATEGORIES[c].length; i++) {
                for (String variant : new String[]{"Classic", "Pro"}) {
                    int low = PRICE_RANGES[c][0];
                    int high = PRICE_RANGES[c][1];
                    BigDecimal price = BigDecimal.valueOf(low + random.nextDouble() * (high - low)).setScale(0, RoundingMode.HALF_UP)
                            .subtract(new BigDecimal("0.01"));
                    products.add(new Product("sku-" + (products.size() + 1), variant + " " + CATEGORIES[c][i], category, price));
                }
            }
        }
        return new Catalogue(List.copyOf(products));
    }

    public Product pick(SplittableRandom random, String preferredCategory, double loyalty) {
        if (preferredCategory != null && random.nextDouble() < loyalty) {
            List<Product> inCategory = products.stream().filter(p -> p.category().equals(preferredCategory)).toList();
            return inCategory.get(random.nextInt(inCategory.size()));
        }
        return products.get(random.nextInt(products.size()));
    }

    public List<String> categories() {
        return products.stream().map(Product::category).distinct().toList();
    }
}
