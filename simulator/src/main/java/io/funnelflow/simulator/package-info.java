/**
 * The simulator: shoppers with personas, channels and devices whose journeys make realistic load and
 * history, each run writing the numbers it generated as ground truth.
 */
package io.funnelflow.simulator;
