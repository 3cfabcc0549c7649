package io.funnelflow.simulator.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The shop's known customers, made from a seed: age groups, loyalty, a persona and a favourite category each. */
public record Population(List<Customer> customers) {

    private static final String[] AGE_GROUPS = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
    private static final double[] AGE_SHARES = {0.14, 0.27, 0.23, 0.17, 0.12, 0.07};

    public static Population generate(int size, List<Persona> personas, List<String> categories, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eed_c0ffeeL);
        List<Customer> customers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Persona persona = Weighted.pick(random, personas, Persona::share);
            int previous = persona.name().equals("vip_loyalist") ? 5 + random.nextInt(20) : random.nextInt(4);
            String age = AGE_GROUPS[Weighted.index(random, AGE_SHARES)];
            customers.add(new Customer("cust-" + (i + 1), age, previous, persona, categories.get(random.nextInt(categories.size()))));
        }
        return new Population(List.copyOf(customers));
    }
}
