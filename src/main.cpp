// fanout's entry point: dispatch to a command.
int main() { return 0; }
